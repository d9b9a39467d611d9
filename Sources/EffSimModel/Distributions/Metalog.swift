import CGSL
import EffSimCore
import Foundation

/// The metalog law (Keelin, "The Metalog Distributions", Decision Analysis 13(4), 2016): the
/// quantile function that passes exactly through k = 3 to 10 given quantiles.
///
/// With y in (0, 1), L = ln(y / (1 - y)) and c = y - 1/2, the k-term metalog is
///
///     M(y) = a1 + a2 L + a3 c L + a4 c + a5 c^2 + a6 c^2 L + a7 c^3 + a8 c^3 L + ...
///
/// (from the fifth term on, odd terms are powers of c, even terms powers of c times L), and
/// the a's solve the k x k linear system M(y_i) = z_i through the given points (y_i, x_i).
/// Bounds transform the values: unbounded z = x and X = M(y); `lower` only (log-metalog)
/// z = ln(x - lower), X = lower + e^M; `upper` only z = -ln(upper - x), X = upper - e^-M;
/// both (logit-metalog) z = ln((x - lower) / (upper - x)), X = lower + (upper - lower) / (1 + e^-M).
///
/// The fit is a law only where M increases. That is checked once, when it is built, on the
/// grid `checkGrid`: M'(y) > 0 at every point, or the fit is refused with the range of y where
/// it fails, the given pairs around it and what to try instead.
public struct Metalog: Sendable, Equatable {
    /// The points the quantile function passes through, in increasing order.
    public let points: [QuantilePoint]
    /// The lower bound, if any: every value lies above it.
    public let lower: Double?
    /// The upper bound, if any: every value lies below it.
    public let upper: Double?
    /// a1 ... ak.
    public let coefficients: [Double]

    /// The fewest and the most terms (points) a metalog takes.
    public static let terms = 3...10

    /// The metalog through `quantiles`, optionally bounded; throws a `DistributionError` listing
    /// every broken rule (points, bounds), or the range where the fit is not increasing.
    public init(quantiles: [QuantilePoint], lower: Double? = nil, upper: Double? = nil) throws {
        var rules = ParameterRules()
        let pointsHold = rules.quantilePoints(quantiles, count: Self.terms)
        var boundsHold = true
        if let lower { boundsHold = rules.finite(lower, "lower") && boundsHold }
        if let upper { boundsHold = rules.finite(upper, "upper") && boundsHold }
        if boundsHold, let lower, let upper {
            boundsHold = rules.require(
                lower < upper, "lower",
                "lower bound \(formatNumber(lower)) must be below upper bound \(formatNumber(upper))")
        }
        if pointsHold && boundsHold {
            if let lower, let first = quantiles.first {
                rules.require(
                    first.value > lower, "lower",
                    "every value must lie above the lower bound \(formatNumber(lower)) (got \(first.text))")
            }
            if let upper, let last = quantiles.last {
                rules.require(
                    last.value < upper, "upper",
                    "every value must lie below the upper bound \(formatNumber(upper)) (got \(last.text))")
            }
        }
        try rules.check()
        let zs = quantiles.map { Self.transform($0.value, lower: lower, upper: upper) }
        guard let a = Self.solve(quantiles.map { Self.basis($0.probability, terms: quantiles.count) }, zs),
            zip(quantiles, zs).allSatisfy({ abs(Self.m(a, $0.probability) - $1) <= 1e-9 * Swift.max(1, abs($1)) })
        else {
            throw DistributionError(issues: [
                ValidationIssue(
                    path: "quantiles",
                    message: "the pairs give a singular system (no metalog passes through them); give other quantiles")
            ])
        }
        points = quantiles
        self.lower = lower
        self.upper = upper
        coefficients = a
        try checkIncreasing()
    }

    /// The transform z of a value x that M fits: x, ln(x - lower), -ln(upper - x) or
    /// ln((x - lower) / (upper - x)).
    private static func transform(_ x: Double, lower: Double?, upper: Double?) -> Double {
        switch (lower, upper) {
        case (nil, nil): return x
        case let (l?, nil): return log(x - l)
        case let (nil, u?): return -log(u - x)
        case let (l?, u?): return log((x - l) / (u - x))
        }
    }

    /// The y-quantile, 0 < y < 1: the bounds' transform of M(y).
    public func quantile(_ y: Double) -> Double {
        let m = Self.m(coefficients, y)
        switch (lower, upper) {
        case (nil, nil): return m
        case let (l?, nil): return l + exp(m)
        case let (nil, u?): return u - exp(-m)
        case let (l?, u?): return l + (u - l) / (1 + exp(-m))
        }
    }

    /// P(X <= x), by bisection on y for quantile(y) = x to full precision (M is increasing).
    public func cdf(_ x: Double) -> Double {
        if let lower, x <= lower { return 0 }
        if let upper, x >= upper { return 1 }
        var lo = 0.0
        var hi = 1.0
        // Invariant: quantile(lo) <= x < quantile(hi), with Q(0) = lower or -inf, Q(1) = upper or +inf.
        for _ in 0..<1100 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if quantile(mid) <= x { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The smallest value the law takes: its lower bound, or -inf.
    package var lowerSupport: Double { lower ?? -.infinity }

    /// The k basis functions at y: 1, L, cL, c, c^2, c^2 L, c^3, c^3 L, ...
    static func basis(_ y: Double, terms k: Int) -> [Double] {
        let l = log(y / (1 - y))
        let c = y - 0.5
        return (1...k).map { j in
            switch j {
            case 1: return 1
            case 2: return l
            case 3: return c * l
            case 4: return c
            default: return j % 2 == 1 ? pow(c, Double((j - 1) / 2)) : pow(c, Double(j / 2 - 1)) * l
            }
        }
    }

    /// M(y) = sum of a_j times the j-th basis function at y, without building the basis (this
    /// is every draw's cost; the fit's residual check compares it with ``basis(_:terms:)``).
    static func m(_ a: [Double], _ y: Double) -> Double {
        let l = log(y / (1 - y))
        let c = y - 0.5
        var sum = a[0] + a[1] * l + a[2] * c * l
        if a.count > 3 { sum += a[3] * c }
        var power = c
        var j = 4
        while j < a.count {
            power *= c
            sum += a[j] * power
            if j + 1 < a.count { sum += a[j + 1] * power * l }
            j += 2
        }
        return sum
    }

    /// M'(y): d/dy L = 1 / (y (1 - y)), d/dy c = 1, so (c^n)' = n c^(n-1) and
    /// (c^n L)' = n c^(n-1) L + c^n / (y (1 - y)).
    static func slope(_ a: [Double], _ y: Double) -> Double {
        let l = log(y / (1 - y))
        let c = y - 0.5
        let dl = 1 / (y * (1 - y))
        var s = 0.0
        for (index, aj) in a.enumerated() {
            let j = index + 1
            switch j {
            case 1: continue
            case 2: s += aj * dl
            case 3: s += aj * (l + c * dl)
            case 4: s += aj
            default:
                let n = Double(j % 2 == 1 ? (j - 1) / 2 : j / 2 - 1)
                let dPower = n * pow(c, n - 1)
                s += aj * (j % 2 == 1 ? dPower : dPower * l + pow(c, n) * dl)
            }
        }
        return s
    }

    /// The y's where M' must be positive: y = i / 10,000 for i = 1 ... 9,999, and the tails
    /// y = 10^-4.25, 10^-4.5, ... 10^-16 and their mirror images 1 - y (no generator's uniform
    /// comes closer to 0 or 1: Philox's lie in [2^-53, 1 - 2^-53], 2^-53 = 1.1e-16).
    static let checkGrid: [Double] = {
        let tail = (17...64).map { pow(10, -Double($0) / 4) }
        return (tail.reversed() + (1..<10_000).map { Double($0) / 10_000 } + tail.map { 1 - $0 })
    }()

    /// Refuses a fit whose M is not increasing on `checkGrid`, naming the first range of y
    /// where M' <= 0 and the given pairs around it; and one whose extreme quantiles leave the
    /// doubles.
    private func checkIncreasing() throws {
        var rules = ParameterRules()
        let grid = Self.checkGrid
        if let first = grid.firstIndex(where: { !(Self.slope(coefficients, $0) > 0) }) {
            var last = first
            while last + 1 < grid.count && !(Self.slope(coefficients, grid[last + 1]) > 0) { last += 1 }
            let (from, to) = (grid[first], grid[last])
            // The pairs inside the range and the nearest one on each side of it.
            let below = points.last { $0.probability < from }
            let above = points.first { $0.probability > to }
            let around =
                [below].compactMap { $0 } + points.filter { $0.probability >= from && $0.probability <= to }
                + [above].compactMap { $0 }
            let range =
                from == to ? "at p = \(Self.format(from))" : "for p from \(Self.format(from)) to \(Self.format(to))"
            let bounds = lower == nil && upper == nil ? ", bounds (lower, upper)" : ""
            rules.require(
                false, "quantiles",
                "the metalog through these \(points.count) pairs is not a distribution: its quantile function falls \(range), around the pairs \(around.map(\.text).joined(separator: ", ")) (checked at \(grid.count) points of (0, 1)); try fewer pairs (terms), quantiles farther apart\(bounds), or a lognormal or normal through two of them"
            )
        } else {
            let far = [quantile(grid[0]), quantile(grid[grid.count - 1])]
            rules.require(far.allSatisfy(\.isFinite), "", "its draws leave the range of a double; narrow it")
        }
        try rules.check()
    }

    /// y to 3 digits; within 0.001 of 1 as `1 - 1e-15`, which "%.3g" would round to 1.
    private static func format(_ y: Double) -> String {
        y > 0.999 ? "1 - " + String(format: "%.3g", 1 - y) : String(format: "%.3g", y)
    }

    /// Solves the k x k system rows * a = z by GSL's LU decomposition; nil when it is singular
    /// or the answer is not finite.
    private static func solve(_ rows: [[Double]], _ z: [Double]) -> [Double]? {
        GSL.configure()
        let k = z.count
        var matrix = rows.flatMap { $0 }
        var rhs = z
        var a = Array(repeating: 0.0, count: k)
        guard let permutation = gsl_permutation_alloc(k) else { return nil }
        defer { gsl_permutation_free(permutation) }
        let status = matrix.withUnsafeMutableBufferPointer { m in
            rhs.withUnsafeMutableBufferPointer { b in
                a.withUnsafeMutableBufferPointer { x in
                    var mv = gsl_matrix_view_array(m.baseAddress, k, k)
                    var bv = gsl_vector_view_array(b.baseAddress, k)
                    var xv = gsl_vector_view_array(x.baseAddress, k)
                    var sign: Int32 = 0
                    let decomposed = gsl_linalg_LU_decomp(&mv.matrix, permutation, &sign)
                    return decomposed == GSL_SUCCESS
                        ? gsl_linalg_LU_solve(&mv.matrix, permutation, &bv.vector, &xv.vector) : decomposed
                }
            }
        }
        return status == GSL_SUCCESS && a.allSatisfy(\.isFinite) ? a : nil
    }

    /// Short form for summaries: `metalog(3 terms through [0.1, 1.25], ..., lower 1)`.
    package var summary: String {
        var s = "metalog(\(points.count) terms through " + points.map(\.text).joined(separator: ", ")
        if let lower { s += ", lower \(formatNumber(lower))" }
        if let upper { s += ", upper \(formatNumber(upper))" }
        return s + ")"
    }

    package var document: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("type", .string("metalog")), ("quantiles", QuantilePoint.document(points)),
        ]
        if let lower { members.append(("lower", .number(lower))) }
        if let upper { members.append(("upper", .number(upper))) }
        return .object(members)
    }
}

extension Metalog: DistributionLaw {
    package static let typeName = "metalog"
    package static let keys: Set<String> = ["type", "quantiles", "lower", "upper"]
    package static let requiredKeys = ["quantiles"]

    package static func read(_ value: JSONValue, at path: String, with reader: inout ScenarioReader) throws
        -> Distribution?
    {
        let points = reader.quantilePoints(value["quantiles"], at: "\(path).quantiles")
        let lower = reader.optionalNumber(value["lower"], at: "\(path).lower")
        let upper = reader.optionalNumber(value["upper"], at: "\(path).upper")
        guard let points, let lower, let upper else { return nil }
        return try .metalog(quantiles: points, lower: lower, upper: upper)
    }

    package var givenQuantiles: [QuantilePoint] { points }
}
