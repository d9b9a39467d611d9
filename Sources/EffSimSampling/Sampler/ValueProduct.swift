import EffSimCore
import EffSimModel
import Foundation

/// The product of a `groups` output's factors when one of them can be <= 0: such a factor's
/// column holds values, so the product is taken in values (the others' logs enter as exp).
enum ValueProduct {
    /// out[i] = product over the factors of their value at i; each column is given with whether
    /// it holds values (else natural logs).
    static func fill(
        _ out: UnsafeMutableBufferPointer<Double>, factors: [(column: UnsafeBufferPointer<Double>, holdsValues: Bool)]
    ) {
        out.update(repeating: 1)
        for (column, holdsValues) in factors {
            if holdsValues {
                for i in out.indices { out[i] *= column[i] }
            } else {
                for i in out.indices { out[i] *= exp(column[i]) }
            }
        }
    }
}
