import Testing
import MPFCore
import MPFYAML
@testable import MPFResults

/// The fast reader of run entries gives what libyaml gives, or gives up.
@Suite struct RunEntryReaderTests {
  let variables = [
    Variable(name: "size", values: [64, 1024]), Variable(name: "mode", values: ["", "-Z", "1", "a: b", "it's", "x\ny"]),
    Variable(name: "on", values: [true, false]), Variable(name: "rate", values: [0.5, 1e-9]),
  ]

  func rows() -> [ResultRow] {
    var rows: [ResultRow] = []
    let texts: [LuaValue] = ["plain", "1", "it's \"quoted\"", "tab\there", "new\nline", "é ü 漢字", "esc\u{1B}[2J", "#hash", "- dash", "[x]", "{y}", "", " lead", "trail ", "null", "true", "3c9e1f2", "12:30"]
    for (i, text) in texts.enumerated() {
      var row = ResultRow(index: i, repetition: i % 3, values: [64, variables[1].values[i % 6], .boolean(i % 2 == 0), variables[3].values[i % 2]])
      row.results["text"] = ResultValue(raw: text)
      row.results["rate"] = ResultValue(raw: .string("\(i) Mbit/s"))
      row.results["n"] = ResultValue(raw: .integer(Int64(i) * 1_000_000_007))
      row.results["x"] = ResultValue(raw: .number(Double(i) / 3))
      row.resultOrder = ["text", "rate", "n", "x"]
      row.status = i % 4 == 0 ? .failed : .ok
      if i % 4 == 0 { row.error = "stdin:1: it's \(text.displayString)" }
      row.start = 1_795_691_655.125 + Double(i)
      row.duration = 0.001 * Double(i)
      row.log = "logs/run-\(i).log"
      if i % 5 == 0 { row.files = ["runs/\(i)/r/out \(i).txt", "runs/\(i)/r/it's"] }
      rows.append(row)
    }
    return rows
  }

  func same(_ a: ResultRow, _ b: ResultRow) -> Bool {
    a.index == b.index && a.repetition == b.repetition && a.values == b.values && a.resultOrder == b.resultOrder
      && a.resultOrder.allSatisfy { a.results[$0]?.raw == b.results[$0]?.raw } && a.status == b.status && a.error == b.error
      && abs(a.start - b.start) < 0.001 && a.duration == b.duration && a.log == b.log && a.files == b.files
  }

  @Test func fastReadingEqualsLibyaml() throws {
    let position = Dictionary(uniqueKeysWithValues: variables.enumerated().map { ($1.name, $0) })
    var fast = 0
    for row in rows() {
      let text = try YAMLEmitter.emit(.sequence([ExperimentRecord.run(row, variables: variables)]))
      let slow = try #require(try YAMLParser.parse(text)?.items.first)
      let expected = try #require(ExperimentText("format: x\nruns:\n" + text)).runs.first
      #expect(expected != nil, "the entry is not whole: \(text)")
      let viaYAML = try StoredExperiment.row(slow, variables: variables, bad: { message, line in Diagnostic(.results, message) })
      #expect(viaYAML.index == row.index && viaYAML.error == row.error && viaYAML.files == row.files, "libyaml misread \(text)")
      if let read = RunEntryReader.row(Array(text.utf8)[...], variables: variables, position: position) {
        fast += 1
        #expect(same(read, viaYAML), "fast reader differs on \(text)")
      }
    }
    // Most entries take the fast path (multi-line strings go to libyaml).
    #expect(fast >= 14, "only \(fast) entries read fast")
  }

  /// A header's values read fast equal what libyaml reads, for every kind of value mpf writes.
  @Test func headerValuesReadFastEqualLibyaml() throws {
    let tricky = variables + [
      Variable(name: "quoted, name", values: ["a, b", "[x]", "{y}", "null", "true", "12", "-1.5", " lead", "é"]),
      Variable(name: "numbers", values: [-3, 0, 2.5, 1e300, 100000]),
    ]
    for variable in tricky {
      let header = try YAMLEmitter.emit(.mapping([
        ("format", .string("2")),
        ("variables", .sequence([.mapping([("name", .string(variable.name)), ("values", .sequence(variable.values.map(YAMLNode.value), flow: true))])])),
        ("seed", .int(1)),
      ]))
      let slow = try #require(try YAMLParser.parse(header))
      let expected = slow["variables"]?.items.first?["values"]?.items.map(\.luaValue)
      let (text, values) = StoredExperiment.headerDocument(Array(header.utf8)[...])
      let rest = try #require(try YAMLParser.parse(text))
      if variable.values.contains(where: { $0.stringValue?.contains("\n") == true }) {
        continue  // written over several lines: libyaml's
      }
      #expect(values[variable.name] == expected, "fast \(String(describing: values[variable.name])) vs libyaml \(String(describing: expected))")
      #expect(rest["variables"]?.items.first?["values"]?.items.isEmpty == true)
      #expect(rest["seed"]?.intValue == 1)
    }
  }
}
