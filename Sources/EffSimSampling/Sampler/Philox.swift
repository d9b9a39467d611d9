import CGSL
import CPhilox
import CTaus
import EffSimCore
import EffSimModel

/// Philox4x32-10 itself, for checking it against Random123's known answers.
public enum Philox {
    /// The 4-word block Philox4x32-10 maps `counter` to under `key`.
    public static func block(counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32)) -> [UInt32] {
        let c = [counter.0, counter.1, counter.2, counter.3]
        let k = [key.0, key.1]
        var out = [UInt32](repeating: 0, count: 4)
        effsim_philox4x32_10(c, k, &out)
        return out
    }

    /// Which vector code Philox's block draws run on this CPU ("avx2" or "baseline").
    public static var instructionSet: String { String(cString: effsim_philox_isa()) }
}
