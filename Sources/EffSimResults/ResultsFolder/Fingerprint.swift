import EffSimCore
import EffSimModel
import EffSimSampling
import Foundation
import Synchronization

/// Which run a results file belongs to: a hash of the canonical scenario document (the validated
/// scenario's document as JSON with sorted keys) and the settings that decide the draws.
///
/// Three keys, from narrow to wide:
/// - `scenario`: the document without its top-level `trials` and `seed` — what the folder rule
///   compares ("is this folder another scenario's?");
/// - `draws`: scenario + seed + rng + sampler — the same draws, trial for trial, whatever the
///   trial count; a `sensitivity.csv` belongs to a run when this key matches (sensitivity samples
///   200,000 trials unless told otherwise, so often fewer by design: the first trials of the run);
/// - `run`: draws + trials — exactly one run's numbers.
///
/// The hash is FNV-1a 64 (16 hex digits): a label against mix-ups, not a defence against tampering.
/// Kept in this one file so the function can be swapped without touching the callers.
public enum Fingerprint {
    /// FNV-1a 64 of the bytes, as 16 lower-case hex digits.
    public static func hash(_ bytes: Data) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The document as JSON with sorted keys and no whitespace (`JSONValue.canonicalData`).
    public static func canonical(_ document: JSONValue) -> Data { document.canonicalData }

    /// The scenario alone: its document without the top-level `trials` and `seed`.
    public static func scenario(_ document: JSONValue) -> String {
        var stripped = document
        if case let .object(members) = document {
            stripped = .object(members.filter { $0.key != "trials" && $0.key != "seed" })
        }
        if let known = recent.withLock({ $0.first { $0.document == stripped }?.hash }) { return known }
        let h = hash(canonical(stripped))
        recent.withLock {
            $0.append((stripped, h))
            if $0.count > 4 { $0.removeFirst() }
        }
        return h
    }

    /// The last few documents hashed: a run asks for its scenario's key four or five times (the
    /// folder rule, the run's, the draws', the old run's), and each would encode the document
    /// again. Equal documents have equal canonical text, so a hit is the same answer.
    private static let recent = Mutex<[(document: JSONValue, hash: String)]>([])

    /// The scenario with the settings that decide the draws, trial count aside.
    public static func draws(_ document: JSONValue, seed: UInt64, rng: RandomGenerator, sampler: SamplerKind) -> String
    {
        hash(Data("\(scenario(document)) seed=\(seed) rng=\(rng.rawValue) sampler=\(sampler.rawValue)".utf8))
    }

    /// One run: the draws and how many of them.
    public static func run(_ document: JSONValue, trials: Int, seed: UInt64, rng: RandomGenerator, sampler: SamplerKind)
        -> String
    {
        hash(Data("\(draws(document, seed: seed, rng: rng, sampler: sampler)) trials=\(trials)".utf8))
    }
}
