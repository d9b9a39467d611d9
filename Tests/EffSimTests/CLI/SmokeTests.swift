import EffSim
import Foundation
import Testing

@Suite struct SmokeTests {
    @Test func binaryPrintsVersion() throws {
        let r = try Support.effsim(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == EffSimVersion.string)
    }
}
