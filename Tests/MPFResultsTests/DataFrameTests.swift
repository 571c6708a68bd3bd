import Testing
import MPFCore
import MPFYAML
import MPFResults


@Suite struct DataFrameTests {
  let variables = [
    Variable(name: "parallel", values: [1, 10]),
    Variable(name: "zerocopy", values: ["", "-Z"], labels: ["disabled", "enabled"]),
  ]

  func row(_ index: Int, _ repetition: Int, _ values: [LuaValue], _ results: [String: LuaValue]) -> ResultRow {
    var row = ResultRow(index: index, repetition: repetition, values: values)
    let at = SourceLocation(file: "f.lua", line: 1)
    try? row.merge(LuaTable(fields: Dictionary(uniqueKeysWithValues: results.map { (.string($0), $1) })), from: RoleFunction(index: 1, role: "r", location: at))
    return row
  }

  @Test func printsAnAlignedTableSortedByPoint() {
    let frame = DataFrame(variables: variables, rows: [
      row(0, 0, [10, "-Z"], ["goodput": "1.5 Gbits"]),
      row(1, 0, [1, ""], ["goodput": "940 Kbits"]),
      row(2, 0, [1, "-Z"], ["goodput": "12 Mbits"]),
    ])
    #expect(frame.table.formatted() == """
      parallel  zerocopy  repetition    goodput
             1  disabled           0  940 kbits
             1  enabled            0   12 Mbits
            10  enabled            0  1.5 Gbits
      """)
    #expect(frame.unit(of: "goodput") == "bits")
  }

  /// Rows sort by each value's first position in its variable's list, values the list does
  /// not hold (and nil) last in run order: looked up by a table of integers for a narrow
  /// span, by a dictionary for a wide one.
  @Test(arguments: [Int64(20), 20_000_000_000])
  func rowsSortByTheirValuesPositionInTheList(_ large: Int64) {
    let variables = [Variable(name: "size", values: [30, 10, .integer(large), 10])]
    let frame = DataFrame(variables: variables, rows: [
      row(0, 0, [99], [:]), row(1, 0, [.integer(large)], [:]), row(2, 0, [.nil], [:]), row(3, 0, [10], [:]), row(4, 0, [30], [:]),
    ])
    #expect(frame.table.column(named: "size")?.values.map { $0 } == [30, 10, .integer(large), 99, .nil])
  }

  /// A result column of integers is the records' own column (shared, not copied); one of
  /// floats or strings is in base units, an integral float read as an integer as before.
  @Test func resultColumnsAreInBaseUnitsWithIntegersShared() {
    let frame = DataFrame(variables: [Variable(name: "x", values: [1, 2, 3, 4])], rows: [
      row(0, 0, [1], ["n": .integer(Int64.max), "f": 2.0, "s": "5 Gbit/s"]),
      row(1, 0, [2], ["f": .number(.infinity)]),
      row(2, 0, [3], ["n": .integer(Int64.min), "f": 2.5, "s": "7"]),
      row(3, 0, [4], ["n": -1]),
    ])
    let table = frame.table
    #expect(Array(table.column(named: "n")!.values) == [.integer(Int64.max), .nil, .integer(Int64.min), -1])
    #expect(table.column(named: "n")!.values.holdsIntegersOnly)
    #expect(Array(table.column(named: "f")!.values) == [2, .number(.infinity), 2.5, .nil])
    #expect(Array(table.column(named: "s")!.values) == [5_000_000_000, .nil, 7, .nil])
  }

  @Test func aStringWithANewlineKeepsTheTableAligned() {
    let frame = DataFrame(variables: [Variable(name: "x", values: [1, 2])], rows: [
      row(0, 0, [1], ["err": "boom\n"]),
      row(1, 0, [2], ["err": "ok\u{1B}[2J"]),
    ])
    #expect(frame.table.formatted() == """
      x  repetition  err
      1           0  boom\\n
      2           0  ok\\e[2J
      """)
  }

  @Test func failedRunsShowAStatusColumn() {
    var failed = row(1, 0, [1, ""], [:])
    failed.fail("f.lua:3: boom")
    let frame = DataFrame(variables: variables, rows: [row(0, 0, [10, ""], ["n": 4]), failed])
    #expect(frame.failedCount == 1)
    let lines = frame.table.formatted().split(separator: "\n")
    #expect(lines[0].hasSuffix("n  status"))
    #expect(lines[1].hasSuffix("0  -  failed"))
    #expect(lines[2].hasSuffix("0  4  ok"))
  }

  /// Numbers in CSV are the shortest text that reads back as the same double: 0.3 is 0.3, and
  /// 0.1 + 0.2 (which is not 0.3) keeps the digits that tell them apart.
  @Test func csvNumbersAreTheShortestTextThatReadsBack() throws {
    let values: [Double] = [0.3, 0.1 + 0.2, 1e-7, 2.5e20, 1.0 / 3.0, 100]
    let rows = values.enumerated().map { index, value in row(index, 0, [1, "-Z"], ["v": .number(value)]) }
    let lines = DataFrame(variables: variables, rows: rows).table.csv().split(separator: "\n").dropFirst()
    let written = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false)[4] }
    #expect(written.map(String.init) == ["0.3", "0.30000000000000004", "1e-07", "2.5e+20", "0.3333333333333333", "100"], "\(written)")
    for (text, value) in zip(written, values) { #expect(Double(text) == value, "\(text)") }
  }

  /// CSV, JSON and YAML carry the same columns: values in base units, a label column where a
  /// variable has labels, a unit column where a result has a unit, the status and the error;
  /// a missing value stays missing.
  @Test func everyExportHasTheSameColumns() throws {
    var failed = ResultRow(index: 1, repetition: 0, values: [10, ""])
    failed.fail("f.lua:3: boom")
    let frame = DataFrame(variables: variables, rows: [row(0, 1, [1, "-Z"], ["note": "a,\"b\"", "t": "2 ms"]), failed])
    let columns = "parallel,zerocopy,zerocopy_label,repetition,note,t,t_unit,status,error"
    #expect(frame.table.csv() == #"""
      \#(columns)
      1,-Z,enabled,1,"a,""b""",0.002,s,ok,
      10,,disabled,0,,,,failed,f.lua:3: boom

      """#)
    #expect(frame.table.json() == #"""
      [
        {"parallel": 1, "zerocopy": "-Z", "zerocopy_label": "enabled", "repetition": 1, "note": "a,\"b\"", "t": 0.002, "t_unit": "s", "status": "ok", "error": null},
        {"parallel": 10, "zerocopy": "", "zerocopy_label": "disabled", "repetition": 0, "note": null, "t": null, "t_unit": null, "status": "failed", "error": "f.lua:3: boom"}
      ]

      """#)
    let yaml = try #require(try YAMLParser.parse(try frame.table.yaml()))
    #expect(yaml.items.count == 2)
    #expect(yaml.items[0].pairs.map(\.key) == columns.split(separator: ",").map(String.init))
    #expect(yaml.items[1]["error"]?.string == "f.lua:3: boom")
    #expect(yaml.items[1]["t"]?.luaValue == .nil)
  }

  @Test func twoFunctionsReturningOneNameIsAnError() throws {
    var row = ResultRow(index: 0, repetition: 0, values: [])
    let at = SourceLocation(file: "f.lua", line: 9)
    try row.merge(LuaTable(fields: ["x": 1]), from: RoleFunction(index: 1, role: "a", location: at))
    let error = try #require(throws: Diagnostic.self) {
      try row.merge(LuaTable(fields: ["x": 2]), from: RoleFunction(index: 2, role: "b", location: at))
    }
    #expect(error.description == "f.lua:9: error: result 'x' is returned by two functions of the same run; rename one")
  }

  /// The report's table (`DataFrame.sortedTable`) is the dataframe's table, though only the
  /// table's columns are put in point order: runs out of order, repetitions, a failure with its
  /// error, results with units and strings, a variable with labels.
  @Test func sortedTableIsTheDataFramesTable() {
    var rows: [ResultRow] = []
    for (index, (parallel, zerocopy, repetition)) in [(10, "-Z", 1), (1, "", 0), (10, "", 0), (1, "-Z", 1), (10, "-Z", 0), (1, "", 1)].enumerated() {
      var run = row(index, repetition, [.integer(Int64(parallel)), .string(zerocopy)], [
        "rate": .string("\(index + 1) Gbit/s"), "name": .string(index % 2 == 0 ? "b" : "a"), "n": .integer(Int64(index)),
      ])
      if index == 3 { (run.status, run.error) = (.failed, "boom") }
      rows.append(run)
    }
    let expected = DataFrame(variables: variables, rows: rows).table
    let table = DataFrame.sortedTable(variables: variables, rows: RunRecords(rows))
    #expect(table.names == expected.names)
    for (column, wanted) in zip(table.columns, expected.columns) {
      #expect(column.values == wanted.values, "\(column.name)")
      #expect(column.unit == wanted.unit && column.labels == wanted.labels && column.isVariable == wanted.isVariable, "\(column.name)")
    }
    #expect(table.column(named: "error")?.values[Int(expected.column(named: "error")!.values.firstIndex(of: .string("boom"))!)] == .string("boom"))
  }

  /// A sweep run once at each value, in shuffled order: in point order its variable's column is
  /// its list of values (shared), and the table is still the dataframe's.
  @Test func aSweepRunOnceIsItsListInPointOrder() {
    let sweep = [Variable(name: "i", values: (1...50).map { .integer(Int64($0)) })]
    let order = (0..<50).map { ($0 * 17) % 50 }
    let rows = order.enumerated().map { index, point in row(index, 0, [.integer(Int64(point + 1))], ["double": .integer(Int64(2 * point + 2))]) }
    let expected = DataFrame(variables: sweep, rows: rows).table
    let table = DataFrame.sortedTable(variables: sweep, rows: RunRecords(rows))
    for (column, wanted) in zip(table.columns, expected.columns) { #expect(column.values == wanted.values, "\(column.name)") }
    #expect(Array(table.columns[0].values) == Array(sweep[0].values))
    let column = RunRecords(rows).variable(0)
    let positions = (0..<50).map { order.firstIndex(of: $0)! }
    #expect(DataFrame.readsAs(column, at: positions, sweep[0].values))
    // Not the list: another order, a value missing or twice, numbers (0.0 and -0.0 match as keys).
    #expect(!DataFrame.readsAs(column, at: Array(0..<50), sweep[0].values))
    #expect(!DataFrame.readsAs(column, at: Array(positions.dropLast()), sweep[0].values))
    #expect(!DataFrame.readsAs(ValueColumn([1, 1]), at: [0, 1], ValueColumn([1, 2])))
    #expect(!DataFrame.readsAs(ValueColumn([1, .nil]), at: [0, 1], ValueColumn([1, .nil])))
    #expect(!DataFrame.readsAs(ValueColumn([-0.0]), at: [0], ValueColumn([0.0])))
  }
}
