import Testing
import MPFCore
import MPFText

/// Run indices and repetitions kept as a rule while they follow one: read back exactly as given,
/// whatever breaks the rule and wherever.
@Suite struct CompactIntegersTests {
  @Test func givesBackEveryValueAsGiven() {
    let cases: [[Int32]] = [
      [], [7], [7, 7], [0, 1, 2, 3], [5, 3, 1, -1], Array(repeating: 0, count: 1000),
      // The rule breaks at the third value, at the last one, and then follows a rule again.
      [0, 1, 3], Array(0..<999) + [5], [0, 1, 2, 0, 1, 2],
      // The extremes: a step that does not fit in 32 bits, a count that would leave them.
      [Int32.min, Int32.max], [Int32.max, Int32.min, Int32.max], [Int32.max - 2, Int32.max - 1, Int32.max],
      [Int32.min + 1, Int32.min, Int32.min],
    ]
    for given in cases {
      let column = CompactIntegers(given)
      #expect(Array(column) == given, "\(given.prefix(8))")
      #expect(column.count == given.count)
      #expect(column == CompactIntegers(given.map { $0 }))
    }
  }

  @Test func keepsNoArrayWhileTheValuesFollowARule() {
    var indices = CompactIntegers()
    indices.reserveCapacity(100_000)
    for index in 0..<Int32(100_000) { indices.append(index) }
    #expect(indices.isRule)
    #expect(indices[99_999] == 99_999)
    indices.append(3)
    #expect(!indices.isRule)
    #expect(Array(indices) == Array(0..<Int32(100_000)) + [3])
    #expect(CompactIntegers(repeating(4, 50)).isRule)
    // Gathered in another order, they are kept as what they then are.
    let gathered = CompactIntegers(0..<Int32(10)).gathering([9, 7, 5, 3])
    #expect(Array(gathered) == [9, 7, 5, 3] && gathered.isRule)
    #expect(Array(CompactIntegers(0..<Int32(10)).gathering([2, 0, 1])) == [2, 0, 1])
  }

  @Test func recordsOfManyRunsGiveBackHostileValues() {
    // Indices counting up, then a resumed run out of order; repetitions that change late;
    // results missing in some rows, integers beside floats, inf and NaN, a huge string.
    let huge = String(repeating: "é\u{0}x", count: 100_000)
    var rows: [ResultRow] = []
    for index in 0..<300 {
      var row = ResultRow(index: index == 299 ? 5 : index, repetition: index < 200 ? 0 : 3, values: [.integer(Int64(index % 7))])
      let value: LuaValue =
        switch index % 6 {
        case 0: .integer(Int64.max)
        case 1: .number(.infinity)
        case 2: .number(-.infinity)
        case 3: .number(.nan)
        case 4: .string(huge)
        default: .nil
        }
      if value != .nil {
        row.results["r"] = ResultValue(raw: value)
        row.resultOrder = ["r"]
      }
      row.log = "logs/run-" + String(row.index).zeroPadded(to: 4)
      rows.append(row)
    }
    let records = RunRecords(rows)
    #expect(records.count == rows.count)
    for (position, row) in rows.enumerated() {
      let back = records[position]
      #expect(back.index == row.index && back.repetition == row.repetition && back.values == row.values)
      #expect(back.log == row.log)
      let given = row.results["r"]?.raw
      let read = back.results["r"]?.raw
      if case .number(let number) = given, number.isNaN {
        guard case .number(let other) = read else {
          Issue.record("run \(position): NaN read back as \(String(describing: read))")
          continue
        }
        #expect(other.isNaN)
      } else {
        #expect(read == given, "run \(position)")
      }
    }
    #expect(Array(records.repetitionColumn) == rows.map { .integer(Int64($0.repetition)) })
    #expect(records.gathering([299, 0]).index(at: 0) == 5)
  }

  /// A repetition shared by every run is known as one value (what a table keeps it as).
  @Test func oneValueIsKnownOnlyWhileEveryPositionHoldsIt() {
    #expect(CompactIntegers().constant == nil)
    #expect(CompactIntegers([4]).constant == 4)
    #expect(CompactIntegers(repeating(-3, 50)).constant == -3)
    #expect(CompactIntegers([0, 1]).constant == nil)
    #expect(CompactIntegers([4, 4, 5]).constant == nil)
    #expect(CompactIntegers(repeating(4, 50) + [5, 4]).constant == nil)
    let runs = RunRecords((0..<100).map { ResultRow(index: $0, repetition: 2, values: [.integer(Int64($0))]) })
    #expect(runs.repetitionColumn.isRepeated && Array(runs.repetitionColumn) == Array(repeating: 2, count: 100))
    let mixed = RunRecords((0..<100).map { ResultRow(index: $0, repetition: $0 == 99 ? 1 : 0, values: []) })
    #expect(!mixed.repetitionColumn.isRepeated && Array(mixed.repetitionColumn) == Array(repeating: 0, count: 99) + [1])
    #expect(Array(mixed.statusColumn) == Array(repeating: "ok", count: 100))
  }

  private func repeating(_ value: Int32, _ count: Int) -> [Int32] { Array(repeating: value, count: count) }
}
