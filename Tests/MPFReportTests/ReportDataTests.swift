import Testing
import MPFCore
import MPFResults
import MPFReport

/// The runs report.html carries for its explorer.
@Suite struct ReportDataTests {
  @Test func fewValuesAreLevelsAndASweepIsItsNumbers() {
    let n = 1500
    let table = Table(columns: [
      Table.Column(name: "size", values: (0..<n).map { .integer(Int64($0)) }, isVariable: true),
      // 1 and 1.0 are one value, as every table groups them; numbers are sorted.
      Table.Column(name: "k", values: (0..<n).map { $0 % 2 == 0 ? .integer(2) : .number(1.0) }, isVariable: true),
      Table.Column(name: "y", values: (0..<n).map { .number(Double($0) / 2) }, unit: "s"),
    ])
    let json = ReportData.json(table)
    #expect(json.contains("{\"name\":\"size\",\"role\":\"variable\",\"unit\":null,\"values\":[0,1,2,"), "a sweep of 1500 numbers")
    #expect(json.contains("{\"name\":\"k\",\"role\":\"variable\",\"levels\":[{\"v\":1,\"l\":\"1.0\"},{\"v\":2,\"l\":\"2\"}],\"codes\":[1,0,1,0"))
    #expect(json.contains("{\"name\":\"y\",\"role\":\"result\",\"unit\":\"s\",\"values\":[0,0.5,1,1.5"))
  }

  /// A variable is written as its numbers past 1000 distinct numbers, a nil not counted among
  /// them, found early or late in the column; the text is the same whatever size its pieces.
  @Test func aSweepIsFoundByItsNumbersNotCountingNil() {
    func json(_ values: [LuaValue]) -> String {
      ReportData.json(Table(columns: [Table.Column(name: "v", values: values, isVariable: true)]))
    }
    let thousand: [LuaValue] = (0..<1000).map { .integer(Int64($0)) }
    #expect(json(thousand + [.nil]).contains("\"levels\":["), "1000 numbers and a nil: levels")
    #expect(json(thousand + [.integer(1000), .nil]).contains("\"values\":[0,1,2,"), "1001 numbers and a nil: numbers")
    let late = Array(repeating: LuaValue.integer(7), count: 5000) + thousand + [.integer(1000)]
    #expect(json(late).contains("\"values\":[7,7,"), "more than 1000 numbers after 4000 rows of one")
    let sweep: [LuaValue] = (0..<30_000).map { .integer(Int64($0)) }
    #expect(json(sweep).hasSuffix("29998,29999]}\n]}"), "a long list goes out whole")
    #expect(!json(sweep).contains(",,"))
  }
}
