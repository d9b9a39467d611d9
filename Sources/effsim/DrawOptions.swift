import ArgumentParser
import EffSim
import Foundation

extension RandomGenerator: ExpressibleByArgument {}
extension SamplerKind: ExpressibleByArgument {}

/// How the draws are made: the flags `run`, `sweep` and `sensitivity` share.
struct DrawOptions: ParsableArguments {
    @Option(help: "GSL generator. Same seed and generator, same draws.")
    var rng: RandomGenerator = .taus2

    @Option(help: "Uniform source: independent pseudo-random draws or a randomly shifted quasi-random sequence.")
    var sampler: SamplerKind = .pseudo
}
