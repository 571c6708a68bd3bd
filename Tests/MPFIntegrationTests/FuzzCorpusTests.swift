import Testing
import MPFCore
import MPFSystem
import MPFText

/// Every input of the fuzzing corpora (Fuzz/corpus/TARGET: seeds, and each finding of
/// scripts/fuzz once fixed) goes through its entry point without a crash.
@Suite struct FuzzCorpusTests {
  static let targets = ["cluster", "results", "request", "response", "quantity", "interpolation", "tar", "manifest"]

  @Test(.timeLimit(.minutes(1)), arguments: targets)
  func corpusReplaysWithoutACrash(target: String) async throws {
    let corpus = FileSystem.join(MPFCommand.repository, "Fuzz/corpus/\(target)")
    let inputs = FileSystem.directoryEntries(corpus).count
    #expect(inputs >= 4, "a corpus this small fuzzes little")
    let binary = FileSystem.join(FileSystem.dirname(MPFCommand.binary), "mpf-fuzz")
    let result = try await MPFCommand.runProgram([binary, target, corpus], in: MPFCommand.temporaryDirectory())
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "mpf-fuzz \(target): \(inputs) inputs, no crash\n", "\(result.stdout)")
  }

  /// scripts/fuzz and the harness name the same targets.
  @Test func theScriptFuzzesEveryTarget() async throws {
    let listed = try await MPFCommand.runProgram([FileSystem.join(MPFCommand.repository, "scripts/fuzz"), "list"], in: MPFCommand.temporaryDirectory())
    #expect(listed.stdout.split(separator: " ").map { String($0).trimmed() } == Self.targets)
    let usage = try await MPFCommand.runProgram([FileSystem.join(FileSystem.dirname(MPFCommand.binary), "mpf-fuzz"), "nothing"], in: MPFCommand.temporaryDirectory())
    #expect(usage.status == 2 && usage.stderr.contains(Self.targets.joined(separator: ", ")), "\(usage.stderr)")
  }
}
