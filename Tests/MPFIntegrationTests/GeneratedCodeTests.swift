import Testing
import MPFCore
import MPFSystem
import MPFText

/// Generated code stays inert (docs/security.md): names, labels and values that would run as
/// Python, break a CSV or close an XML element go into the redraw scripts, CSVs, SVGs and the
/// report only through their language's quoting function (Sources/MPFText/Quoting).
@Suite struct GeneratedCodeTests {
  /// The texts hostile_names.lua uses as labels and values, with `marker` as its payload's file.
  static func hostile(marker: String) -> [String] {
    let payload = "import os; open(\"\(marker)\", \"w\").close()"
    return [
      "nl\n" + payload,
      "q\"uo'te \"\"\"\n" + payload + "\n\"\"\"",
      "</script><b>x</b> ]]> \0nul \\back\\slash\\ $(touch \(marker)) `touch \(marker)`",
      "sep\u{2028}" + payload + "\r\n" + payload + "\r",
    ]
  }

  /// Reads each CSV back with Python's csv module (one column's values, as UTF-8 in hex) and
  /// parses each SVG as XML.
  static let checker = """
    import csv, sys, glob, xml.etree.ElementTree as ET
    def column(path, index):
        with open(path, newline="") as f:
            return [row[index].encode().hex() for row in list(csv.reader(f))[1:]]
    for path in glob.glob("graphs/*.csv"):
        print("graph", *column(path, 2))
    print("export", *column("export.csv", 4))
    print("show", *column("show.csv", 4))
    for path in glob.glob("graphs/*.svg"):
        ET.parse(path)
    """

  @Test(.timeLimit(.minutes(3))) func hostileNamesStayDataInEveryGeneratedFile() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let marker = FileSystem.join(dir, "MARKER")
    let run = try await MPFCommand.run([MPFCommand.fixture("hostile_names.lua"), "-q", "--", marker], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let show = try await MPFCommand.run(["show", "--format", "csv", experiment], in: dir)
    try FileSystem.writeAtomically(FileSystem.join(experiment, "show.csv"), Array(show.stdout.utf8))
    try FileSystem.rename(FileSystem.join(dir, "export.csv"), to: FileSystem.join(experiment, "export.csv"))
    #expect(try await MPFCommand.run(["report", experiment], in: dir).status == 0)

    let scripts = FileSystem.directoryEntries(FileSystem.join(experiment, "graphs")).filter { $0.hasSuffix(".py") }
    #expect(!scripts.isEmpty)
    for script in scripts {
      let path = FileSystem.join(FileSystem.join(experiment, "graphs"), script)
      let compiled = try await MPFCommand.runProgram(["/usr/bin/python3", "-m", "py_compile", path], in: dir)
      #expect(compiled.status == 0, "\(script): \(compiled.stderr)")
      let drawn = try await MPFCommand.runProgram(["/usr/bin/python3", path], in: dir, environment: ["MPLBACKEND=Agg"])
      #expect(drawn.status == 0, "\(script): \(drawn.stderr)")
    }
    #expect(!FileSystem.exists(marker), "a redraw script ran the payload")

    try FileSystem.writeAtomically(FileSystem.join(experiment, "check.py"), Array(Self.checker.utf8))
    let checked = try await MPFCommand.runProgram(["/usr/bin/python3", "check.py"], in: experiment)
    #expect(checked.status == 0, "\(checked.stderr)")
    let expected = Self.hostile(marker: marker).map { $0.utf8.map { String($0, radix: 16).zeroPadded(to: 2) }.joined() }
    for line in checked.stdout.lines() {
      let words = line.split(separator: " ").map(String.init)
      #expect(Array(words.dropFirst()) == expected, "\(words.first ?? ""): read back otherwise")
    }
    #expect(checked.stdout.lines().count == 3, "\(checked.stdout)")
    let html = try FileSystem.readString(FileSystem.join(experiment, "report.html"))
    #expect(!html.contains("<b>x</b>") && html.contains("&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"))
    #expect(!FileSystem.exists(marker))
  }
}
