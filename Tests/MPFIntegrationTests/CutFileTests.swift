import Testing
import MPFCore
import MPFYAML
import MPFResults
import MPFSystem

/// experiment.yaml cut at any byte (a crash, a full disk, a hostile edit) is read up to its
/// last whole run and no further; a cut header is refused; a resume redoes what was cut.
@Suite struct CutFileTests {
  /// A finished 20-run experiment (Fixtures/graphs.lua, one repetition).
  func original(in dir: String) async throws -> (directory: String, text: String, stored: StoredExperiment) {
    let result = try await MPFCommand.run([MPFCommand.fixture("graphs.lua"), "-q", "-n", "1"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let directory = try #require(MPFCommand.experimentDirectory(in: dir))
    return (directory, try FileSystem.readString(FileSystem.join(directory, "experiment.yaml")), try StoredExperiment.load(directory))
  }

  func key(_ row: ResultRow) -> String {
    "\(row.index) \(row.status.rawValue) " + row.resultOrder.map { "\($0)=\(row.results[$0]!.raw.displayString)" }.joined(separator: ",")
  }

  @Test func everyCutPointReadsTheWholeRunsBeforeItAndNothingElse() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let (_, text, full) = try await original(in: dir)
    let bytes = Array(text.utf8)
    let headerEnd = bytes.count - (try #require(text.firstRange(of: "\nruns:\n")).map { text[$0.upperBound...].utf8.count } ?? 0)
    // Where each run's entry ends (its end line), in file order.
    var ends: [(offset: Int, index: Int)] = []
    var offset = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      offset += line.utf8.count + 1
      if line.hasPrefix("  end: "), let index = Int(line.dropFirst(7)) { ends.append((offset, index)) }
    }
    #expect(ends.count == full.rows.count)
    let byIndex = Dictionary(uniqueKeysWithValues: full.rows.map { ($0.index, key($0)) })
    let cutDir = FileSystem.join(dir, "cut")
    try FileSystem.createDirectory(cutDir)
    var checked = 0
    for cut in stride(from: 0, to: bytes.count, by: 5) {
      try FileSystem.writeAtomically(FileSystem.join(cutDir, "experiment.yaml"), Array(bytes[..<cut]))
      if cut < headerEnd {
        #expect(throws: Diagnostic.self, "cut at \(cut) inside the header was read") { try StoredExperiment.load(cutDir) }
        continue
      }
      let stored = try StoredExperiment.load(cutDir)
      let expected = ends.filter { $0.offset <= cut }.map { byIndex[$0.index]! }
      #expect(stored.rows.map(key) == expected, "cut at \(cut)")
      #expect(stored.status == nil, "cut at \(cut): a status was read from a cut trailer")
      checked += 1
    }
    #expect(checked > 100)
  }

  @Test func aResumeOfACutFileRedoesWhatWasCutAndEndsWhole() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let (directory, text, full) = try await original(in: dir)
    let bytes = Array(text.utf8)
    // Cut in the middle of the sixth run's results.
    var offset = 0
    var cut = 0
    var seen = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      offset += line.utf8.count + 1
      if line.hasPrefix("  results:") {
        seen += 1
        if seen == 6 { cut = offset + 5; break }
      }
    }
    try FileSystem.writeAtomically(FileSystem.join(directory, "experiment.yaml"), Array(bytes[..<cut]))
    let before = try StoredExperiment.load(directory)
    #expect(before.rows.count == 5)
    let resumed = try await MPFCommand.run(["resume", directory, "-q"], in: dir)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let after = try StoredExperiment.load(directory)
    #expect(after.status == "completed")
    #expect(Set(after.rows.map(key)) == Set(full.rows.map(key)))
    // The file is whole again: every entry has its end line, and it parses as a whole.
    let whole = try FileSystem.readString(FileSystem.join(directory, "experiment.yaml"))
    #expect(ExperimentText(whole)?.wasCut == false)
    #expect(try YAMLParser.parse(whole) != nil)
  }

  /// A damaged entry in the middle (a tab, a negative index: an edit) is not taken for the end of
  /// the file: `mpf show` says it with its line and shows every other run; a resume says it,
  /// runs that run again, and keeps the damaged entry's bytes in the file.
  @Test(arguments: ["tab", "negative index"]) func aDamagedEntryInTheMiddleIsSaidAndNothingAfterItIsLost(damage: String) async throws {
    let dir = MPFCommand.temporaryDirectory()
    let (directory, text, full) = try await original(in: dir)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // Damage the third entry, and cut the file inside the last one (a stopped experiment).
    let starts = lines.indices.filter { lines[$0].hasPrefix("- index: ") }
    let third = starts[2]
    let index = String(lines[third].dropFirst(9))
    if damage == "tab" {
      lines[third + 1] = "\t" + lines[third + 1].dropFirst(2)
    } else {
      lines[third] = "- index: -\(index)"
      let end = try #require(lines[third...].firstIndex(of: "  end: \(index)"))
      lines[end] = "  end: -\(index)"
    }
    let damaged = lines[third...].prefix { !$0.hasPrefix("  end: ") }.joined(separator: "\n")
    lines = Array(lines[..<(starts.last! + 3)])
    try FileSystem.writeAtomically(FileSystem.join(directory, "experiment.yaml"), Array((lines.joined(separator: "\n") + "\n").utf8))
    let shown = try await MPFCommand.run(["show", directory], in: dir)
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(shown.stderr.contains("experiment.yaml:\(third + 1): warning: run entry skipped"), "\(shown.stderr)")
    #expect(shown.stdout.split(separator: "\n").count - 1 == full.rows.count - 2, "every run but the damaged and the cut one: \(shown.stdout)")
    let resumed = try await MPFCommand.run(["resume", directory, "-q"], in: dir)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("warning: run entry skipped"), "\(resumed.stderr)")
    let after = try StoredExperiment.load(directory)
    #expect(after.status == "completed")
    #expect(Set(after.rows.map { key($0).split(separator: " ").dropFirst().joined() }) == Set(full.rows.map { key($0).split(separator: " ").dropFirst().joined() }))
    let whole = try FileSystem.readString(FileSystem.join(directory, "experiment.yaml"))
    #expect(whole.contains(damaged), "the damaged entry stays in the file as it was")
  }
}
