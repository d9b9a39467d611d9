/// A number as a person would write it in JSON: integers without a decimal point,
/// anything else in Swift's shortest round-tripping form (2.5, 99.9, 1e-05).
public func formatNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 {
        return String(Int64(x))
    }
    return "\(x)"
}
