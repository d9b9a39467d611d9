import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation

/// A factor's K equal-probability bins, cut at its closed-form quantiles: bin(x) is the number of
/// inner edges <= x, floor(F(x) K) up to rounding, so a draw's bin needs no sort and a floor's
/// atom (every draw at F(floor)) falls in one bin.
///
/// A binary search over 99 edges mispredicts a branch at nearly every step. Instead a table of
/// `cells` equal cells over the edges' span gives, for each cell, how many edges lie in cells
/// before it (all below any x in the cell, as the cell of a value is monotone in it); the few
/// edges in x's own cell are then compared one by one. Exact: the same answer as the search.
struct FactorBins: Sendable {
    /// The inner edges in increasing order, then +infinity (the scan's sentinel).
    let edges: [Double]
    /// Edges in cells before cell c.
    let table: [UInt8]
    let origin: Double
    let scale: Double

    static let cells = 4096

    /// Bins cut at `edges` (K - 1 of them, K <= 255, nondecreasing; -infinity allowed).
    init(edges inner: [Double]) {
        precondition(inner.count < 255, "at most 255 bins")
        edges = inner + [.infinity]
        let finite = inner.filter(\.isFinite)
        let lo = finite.first ?? 0
        let hi = finite.last ?? 0
        origin = lo
        // A span so narrow (a normal with sd 1e-306) that cells / span is infinite, or so wide
        // that span overflows, gets no table: every value starts the scan at the first edge.
        let s = Double(Self.cells) / (hi - lo)
        scale = hi > lo && s.isFinite ? s : 0
        var table = [UInt8](repeating: 0, count: Self.cells)
        var cellOf = Array(repeating: 0, count: inner.count)
        for (j, e) in inner.enumerated() { cellOf[j] = Self.cell(e, origin: lo, scale: scale) }
        var j = 0
        for c in 0..<Self.cells {
            while j < inner.count && cellOf[j] < c { j += 1 }
            table[c] = UInt8(j)
        }
        self.table = table
    }

    /// The cell of x: (x - origin) * scale, clamped to the table; 0 when that is NaN (an
    /// infinite x - origin times a zero scale), which only starts the scan earlier.
    @inline(__always)
    static func cell(_ x: Double, origin: Double, scale: Double) -> Int {
        let t = (x - origin) * scale
        return t > 0 ? Int(Swift.min(t, Double(cells - 1))) : 0
    }

    /// The bin of each of `values` into `bins`, counted into `counts`; `lo` and `hi` take in the
    /// values' extremes.
    func bin(
        _ values: UnsafeBufferPointer<Double>, into bins: UnsafeMutablePointer<Int32>,
        counts: UnsafeMutableBufferPointer<Int>, lo: inout Double, hi: inout Double
    ) {
        var l = lo
        var h = hi
        edges.withUnsafeBufferPointer { e in
            table.withUnsafeBufferPointer { t in
                for (i, x) in values.enumerated() {
                    var b = Int(t[Self.cell(x, origin: origin, scale: scale)])
                    while e[b] <= x { b &+= 1 }
                    bins[i] = Int32(truncatingIfNeeded: b)
                    counts[b] &+= 1
                    l = Swift.min(l, x)
                    h = Swift.max(h, x)
                }
            }
        }
        lo = l
        hi = h
    }
}
