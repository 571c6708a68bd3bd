import Testing
import MPFCore

/// Typed columns: what the controller keeps of every run, read back exactly as it was given.
@Suite struct RunRecordsTests {
  @Test func aColumnGivesBackEveryValueWithItsType() {
    let given: [LuaValue] = [.nil, 3, .nil, 4, -7]
    #expect(Array(ValueColumn(given)) == given)
    let strings: [LuaValue] = ["a", .nil, "b", "a"]
    let column = ValueColumn(strings)
    #expect(Array(column) == strings)
    #expect(column.stringCodes?.strings == ["a", "b"])
    #expect(column.stringCodes?.codes == [0, -1, 1, 0])
    // 1 and 1.0 stay what they are: a mix of types becomes a column of values.
    let mixed: [LuaValue] = [1, 1.0, .nil, "x", true, .list([1, 2])]
    let general = ValueColumn(mixed)
    #expect(Array(general) == mixed)
    #expect(general.isMissing(2) && !general.isMissing(0))
    #expect(general.number(at: 1) == 1.0)
    #expect(general.number(at: 3) == nil)
    // Only nils, then numbers: the nils stay nils.
    let late: [LuaValue] = [.nil, .nil, 2.5, .nil]
    #expect(Array(ValueColumn(late)) == late)
    #expect(ValueColumn(late).stringCodes == nil)
    // More than 64 rows: the bitmap of missing values spans words.
    let long = (0..<200).map { $0 % 3 == 0 ? LuaValue.nil : .integer(Int64($0)) }
    #expect(Array(ValueColumn(long)) == long)
  }

  @Test func gatheringAndMappingKeepMissingValues() {
    let column = ValueColumn(["5 Gbit/s", .nil, "5 Gbit/s", "1 kbit/s"])
    #expect(Array(column.gathering([3, 1, 0])) == ["1 kbit/s", .nil, "5 Gbit/s"])
    var calls = 0
    let mapped = column.mapValues {
      calls += 1
      return .integer(Int64($0.stringValue?.count ?? 0))
    }
    #expect(Array(mapped) == [8, .nil, 8, 8])
    #expect(calls == 2)  // once per distinct string
    var joined = ValueColumn([1, 2])
    joined.append(contentsOf: ValueColumn(["x"]))
    #expect(Array(joined) == [1, 2, "x"])
  }

  private func row(_ index: Int, _ values: [LuaValue], _ results: [(String, LuaValue)], status: RunStatus = .ok) -> ResultRow {
    var row = ResultRow(index: index, repetition: index % 2, values: values)
    for (name, value) in results {
      row.results[name] = ResultValue(raw: value)
      row.resultOrder.append(name)
    }
    row.status = status
    row.start = Double(index) + 0.5
    row.duration = 0.25
    return row
  }

  @Test func recordsGiveBackTheRowsTheyWereGiven() {
    var failed = row(2, [3, "c"], [], status: .timeout)
    failed.error = "timed out after 2 s"
    failed.log = "logs/run-0002"
    failed.files = ["runs/2/server/out.txt"]
    failed.machines = ["client2": "h16"]
    var odd = row(1, [1, "a"], [("rtt", "1.5 ms"), ("bytes", 10)])
    odd.log = "logs/elsewhere.log"
    let rows = [
      odd,
      row(0, [2, "b"], [("goodput", 5.5), ("rtt", "2 ms")]),
      failed,
    ]
    let records = RunRecords(rows)
    #expect(records.count == 3)
    #expect(Array(records) == rows)
    // Names by first appearance over runs taken by index: run 0 gave goodput then rtt.
    #expect(records.resultOrder == ["goodput", "rtt", "bytes"])
    #expect(Array(records.result(named: "rtt")!) == ["1.5 ms", "2 ms", .nil])
    #expect(Array(records.result(named: "goodput")!) == [.nil, 5.5, .nil])
    #expect(records.failedCount == 1)
    #expect(records.error(at: 2) == "timed out after 2 s")
    #expect(Array(records.statusColumn) == ["ok", "ok", "timeout"])
    #expect(Array(records.repetitionColumn) == [1, 0, 0])
    #expect(Array(records.errorColumn) == [.nil, .nil, "timed out after 2 s"])
    #expect(records.log(at: 0) == "logs/elsewhere.log" && records.log(at: 1) == nil && records.log(at: 2) == "logs/run-0002")
    // A column of nils only: no value kept, a bit a row.
    #expect(Array(ValueColumn(repeating: .nil, count: 3)) == [.nil, .nil, .nil])
    var grown = ValueColumn(repeating: .nil, count: 70)
    grown.append(5)
    grown.append(.nil)
    #expect(Array(grown) == Array(repeating: .nil, count: 70) + [5, .nil])
    let reversed = records.gathering([2, 1, 0])
    #expect(Array(reversed) == rows.reversed())
    var more = records
    more += RunRecords([row(3, [4, "d"], [("extra", true)])])
    #expect(more.count == 4)
    #expect(more[3].results["extra"]?.raw == true)
    #expect(more[0].results["extra"] == nil)
  }
}
