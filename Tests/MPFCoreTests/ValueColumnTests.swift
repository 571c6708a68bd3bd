import Testing
import MPFCore

/// A column of one value repeated is that value and a count until another arrives, and a
/// column of strings keeps a byte a code until it has more than 256 of them: either way each
/// value reads back as given, with its type and its bits.
@Suite struct ValueColumnTests {
  @Test func aRepeatedValueIsKeptAsARuleUntilAnotherArrives() {
    for value: LuaValue in [3, 2.5, true, "ok", -0.0] {
      var column = ValueColumn(repeating: value, count: 100_000)
      #expect(column.isRepeated)
      #expect(column.count == 100_000 && column[99_999] == value && column[0] == value)
      #expect(column.number(at: 5) == value.doubleValue)
      column.append(value)
      #expect(column.isRepeated && column.count == 100_001)
      #expect(column.gathering([4, 2, 1]).isRepeated && Array(column.gathering([4, 2, 1])) == [value, value, value])
      column.append(.nil)
      #expect(!column.isRepeated)
      #expect(Array(column) == Array(repeating: value, count: 100_001) + [.nil])
    }
    // 0.0 after -0.0, a NaN, 1.0 after 1: each a value of its own.
    var zero = ValueColumn(repeating: -0.0, count: 2)
    zero.append(0.0)
    #expect(!zero.isRepeated && zero[0].doubleValue?.sign == .minus && zero[2].doubleValue?.sign == .plus)
    var one = ValueColumn(repeating: 1, count: 2)
    one.append(1.0)
    #expect(Array(one) == [1, 1, 1.0] && !one.isRepeated)
    let nan = ValueColumn(repeating: .number(.nan), count: 3)
    #expect(nan.number(at: 2)?.isNaN == true)
  }

  @Test func aRepeatedValueAnswersAsTheSameValuesInAnArray() {
    let repeated = ValueColumn(repeating: 7, count: 5)
    let spelled = ValueColumn(Array(repeating: LuaValue.integer(7), count: 5))
    #expect(repeated == spelled && repeated.hashValue == spelled.hashValue)
    #expect(repeated.integerBounds! == (7, 7) && repeated.integer(at: 4) == 7 && repeated.holdsIntegersOnly)
    let strings = ValueColumn(repeating: "a", count: 3)
    #expect(strings.stringCodes?.strings == ["a"] && strings.stringCodes?.codes == [0, 0, 0])
    #expect(Array(strings.mapValues { .string(($0.stringValue ?? "") + "!") }) == ["a!", "a!", "a!"])
    var joined = ValueColumn(repeating: 2, count: 2)
    joined.append(contentsOf: ValueColumn(repeating: "x", count: 2))
    joined.append(contentsOf: ValueColumn([3, .nil]))
    #expect(Array(joined) == [2, 2, "x", "x", 3, .nil])
    var onto = ValueColumn([1, 2])
    onto.append(contentsOf: ValueColumn(repeating: 9, count: 2))
    #expect(Array(onto) == [1, 2, 9, 9])
  }

  @Test func stringsReadBackBeyondAByteOfCodes() {
    let values = (0..<600).map { LuaValue.string("s\($0 % 300)") } + [.nil, "s0"]
    let column = ValueColumn(values)
    #expect(Array(column) == values)
    #expect(column.stringCodes?.strings.count == 300)
    #expect(column.stringCodes?.codes.last == 0 && column.stringCodes?.codes[299] == 299)
    #expect(Array(column.gathering([599, 0, 600])) == ["s299", "s0", .nil])
    var grown = ValueColumn(["a", "b"])
    grown.append(contentsOf: column)
    #expect(Array(grown) == ["a", "b"] + values)
    // A row's code read alone is the one in the list of every code, a nil -1.
    for strings in [column, ValueColumn(repeating: "x", count: 3), ValueColumn(repeating: .nil, count: 2)] {
      #expect(strings.distinctStrings == strings.stringCodes?.strings)
      #expect(strings.indices.map(strings.stringCode(at:)) == strings.stringCodes?.codes)
    }
    #expect(ValueColumn([1, 2]).distinctStrings == nil)
    let coded = ValueColumn(codes: [2, 0, 1, 2], strings: ["ok", "failed", "timeout"])
    #expect(Array(coded) == ["timeout", "ok", "failed", "timeout"])
  }

  /// Integers are kept in 4 bytes while they fit: the first that does not widens the column,
  /// every value reading back as given, gathered, joined and bounded as before.
  @Test func integersReadBackAcrossTheWidthOf32Bits() {
    let edges: [Int64] = [0, -1, Int64(Int32.max), Int64(Int32.min), Int64(Int32.max) + 1, Int64(Int32.min) - 1, .max, .min]
    for edge in edges {
      let given: [LuaValue] = [1, .nil, .integer(edge), 7, .integer(edge / -2)]
      var column = ValueColumn(given)
      #expect(Array(column) == given, "\(edge)")
      #expect(column.integer(at: 2) == edge && column.number(at: 2) == Double(edge) && column.holdsIntegersOnly)
      let finite = given.compactMap(\.intValue)
      #expect(column.integerBounds! == (finite.min()!, finite.max()!))
      #expect(Array(column.gathering([2, 0, 1])) == [.integer(edge), 1, .nil])
      column.append(contentsOf: ValueColumn([.integer(Int64.max), 3]))
      #expect(Array(column) == given + [.integer(Int64.max), 3])
      var narrow = ValueColumn([4, 5])
      narrow.append(contentsOf: ValueColumn(given))
      #expect(Array(narrow) == [4, 5] + given)
    }
    #expect(Array(ValueColumn(integers: [3, Int64(Int32.max) + 9, -2])) == [3, .integer(Int64(Int32.max) + 9), -2])
  }
}
