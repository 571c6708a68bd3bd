import Testing
import MPFCore
import MPFYAML
@testable import MPFResults
import MPFSystem
import MPFText

/// A damaged run entry in the middle of experiment.yaml (edited, or written by another tool) is
/// skipped and said, never taken for the end of the file: the runs after it are read, and the
/// file keeps its bytes (a resume copies them as they are).
@Suite struct DamagedEntryTests {
  static func entry(_ index: String, x: Int, end: String? = nil, extra: String = "") -> String {
    "- index: \(index)\n  repetition: 0\n  values: {x: \(x)}\n  status: ok\n\(extra)  results:\n    y: \(x * 10)\n  end: \(end ?? index)\n"
  }

  static let header = "format: mpf-experiment/2\nid: t\nvariables:\n- name: x\n  values: [1, 2, 3, 4]\nseed: 1\nn_runs: 1\nruns:\n"
  static let trailer = "finished: 2026-12-05T12:00:00Z\nstatus: completed\nend: experiment\n"

  /// Each case: the damaged second entry (of four), and what the reader must say of it.
  static let cases: [(name: String, damaged: String, reason: String)] = [
    ("negative index", entry("-1", x: 2), "its index '-1' is not a run index"),
    ("index past 32 bits", entry("4294967296", x: 2), "its index '4294967296' is not a run index"),
    ("tab indentation", entry("1", x: 2).replacingAll("  status: ok", with: "\tstatus: ok"), "indented with a tab"),
    ("no end line", entry("1", x: 2).replacingAll("  end: 1\n", with: ""), "no end line matching its index"),
    ("end of another index", entry("1", x: 2, end: "7"), "no end line matching its index"),
    ("no index", entry("1", x: 2).replacingAll("- index: 1", with: "- idx: 1"), "does not start with '- index: N'"),
    ("not YAML", entry("1", x: 2, extra: "  error: \"unclosed\n"), ""),
  ]

  func file(damaged: String, trailer: Bool = true) -> String {
    Self.header + Self.entry("0", x: 1) + damaged + Self.entry("2", x: 3) + Self.entry("3", x: 4) + (trailer ? Self.trailer : "")
  }

  @Test(arguments: cases.map(\.name)) func theSplitterSkipsAndSaysADamagedEntry(name: String) throws {
    let damage = try #require(Self.cases.first { $0.name == name })
    let text = try #require(ExperimentText(file(damaged: damage.damaged)))
    #expect(!text.wasCut, "a damaged entry in the middle is not the file's end")
    #expect(text.trailer != nil, "the trailer after it is read")
    if damage.reason.isEmpty {
      // The splitter finds it whole: libyaml refuses it when read (below).
      #expect(text.runs.count == 4)
    } else {
      #expect(text.runs.count == 3, "the three whole entries are runs")
      #expect(text.skipped.count == 1)
      #expect(text.skipped.first?.reason.contains(damage.reason) == true, "\(text.skipped)")
      #expect(text.skipped.first?.line == 16, "the damaged entry starts on line 16")
    }
  }

  @Test(arguments: cases.map(\.name)) func loadingKeepsEveryOtherRunAndWarnsWithTheLine(name: String) throws {
    let damage = try #require(Self.cases.first { $0.name == name })
    let dir = try TemporaryDirectory.make("mpf-test")
    let bytes = Array(file(damaged: damage.damaged).utf8)
    try FileSystem.writeAtomically(FileSystem.join(dir, "experiment.yaml"), bytes)
    let stored = try StoredExperiment.load(dir)
    #expect(stored.rows.count == 3, "runs 0, 2 and 3 are read")
    #expect(Set(stored.rows.indices.map { stored.rows.values(at: $0) }) == [[1], [3], [4]])
    #expect(stored.status == "completed")
    #expect(stored.skipped.count == 1)
    let warning = try #require(stored.warnings.first)
    #expect(warning.hasPrefix(FileSystem.join(dir, "experiment.yaml") + ":"))
    #expect(warning.contains("warning: run entry skipped"))
    #expect(warning.contains("a resume runs that run again"))
    // What a resume copies holds the damaged entry's bytes: nothing measured is dropped.
    let range = try #require(stored.runsRange)
    #expect(String(decoding: bytes[range], as: UTF8.self).contains(damage.damaged))
  }

  /// A repetition mpf cannot have written was clamped when shown (3000000000 as 2147483647).
  @Test(arguments: ["3000000000", "-9223372036854775808", "10000001"])
  func aRepetitionOutOfRangeSkipsTheEntry(repetition: String) throws {
    let dir = try TemporaryDirectory.make("mpf-test")
    let damaged = Self.entry("1", x: 2).replacingAll("repetition: 0", with: "repetition: \(repetition)")
    try FileSystem.writeAtomically(FileSystem.join(dir, "experiment.yaml"), Array(file(damaged: damaged).utf8))
    let stored = try StoredExperiment.load(dir)
    #expect(stored.rows.count == 3, "runs 0, 2 and 3 are read")
    let warning = try #require(stored.warnings.first)
    #expect(warning.hasPrefix(FileSystem.join(dir, "experiment.yaml") + ":17:"), "\(warning)")
    #expect(warning.contains("repetition '\(repetition)' is not a whole number from 0 to 10000000"), "\(warning)")
  }

  /// The run order, left out of the header as it is read (a line longer than the 64 KiB blocks
  /// of a file), moves no line number and no offset.
  @Test func aLongRunOrderMovesNoLineNorOffset() throws {
    let order = "run_order: [" + (0..<20_000).map { "[\($0), 0]" }.joined(separator: ", ") + "]\n"
    let header = Self.header.replacingAll("seed: 1\n", with: "seed: 1\n" + order)
    let entries = [Self.entry("0", x: 1), Self.cases[0].damaged, Self.entry("2", x: 3), Self.entry("3", x: 4)]
    let text = header + entries.joined() + Self.trailer
    let split = try #require(ExperimentText(text))
    #expect(split.text(split.header) == header)
    #expect(split.runs.map(split.text) == [entries[0], entries[2], entries[3]])
    #expect(split.skipped.first?.line == 17 && split.trailer.map(split.text) == Self.trailer)
    let dir = try TemporaryDirectory.make("mpf-test")
    try FileSystem.writeAtomically(FileSystem.join(dir, "experiment.yaml"), Array(text.utf8))
    let stored = try StoredExperiment.load(dir)
    #expect(stored.rows.count == 3 && stored.skipped.first?.line == 17 && stored.status == "completed")
    #expect(stored.seed == 1 && stored.variables.first?.values.count == 4)
  }

  @Test func aCutAtTheVeryEndIsStillACutNotADamagedEntry() throws {
    let whole = file(damaged: Self.entry("1", x: 2), trailer: false)
    let cut = String(whole.dropLast(5))
    let text = try #require(ExperimentText(cut))
    #expect(text.wasCut)
    #expect(text.skipped.isEmpty)
    #expect(text.runs.count == 3)
  }

  @Test func aRunDoneTwiceUnderOneIndexKeepsBothPointsAndOneEntryPerPoint() throws {
    // Two entries with index 1: another point each, both kept (a run is its point, not its index).
    let dir = try TemporaryDirectory.make("mpf-test")
    let text = Self.header + Self.entry("0", x: 1) + Self.entry("1", x: 2) + Self.entry("1", x: 3) + Self.trailer
    try FileSystem.writeAtomically(FileSystem.join(dir, "experiment.yaml"), Array(text.utf8))
    let stored = try StoredExperiment.load(dir)
    #expect(stored.rows.count == 3)
    #expect(stored.skipped.isEmpty)
  }

  @Test func aFileWithCRLFLineEndsIsRefusedAsSuchNotAsCut() throws {
    let dir = try TemporaryDirectory.make("mpf-test")
    let text = file(damaged: Self.entry("1", x: 2)).replacingAll("\n", with: "\r\n")
    try FileSystem.writeAtomically(FileSystem.join(dir, "experiment.yaml"), Array(text.utf8))
    let error = try #require(throws: Diagnostic.self) { try StoredExperiment.load(dir) }
    #expect(error.message.contains("CR LF"), "\(error)")
  }
}
