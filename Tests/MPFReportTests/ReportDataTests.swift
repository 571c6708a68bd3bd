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
}
