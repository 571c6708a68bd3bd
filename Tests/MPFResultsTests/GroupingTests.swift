import Testing
import MPFCore
import MPFResults

/// `Table.grouping` and its counts: values matched as every table matches them (1 and 1.0 are
/// one value), codes per row in order of first appearance.
@Suite struct GroupingTests {
  @Test func distinctValuesAreCountedUpToTheLimitOnly() {
    let many = ValueColumn((0..<5000).map { LuaValue.integer(Int64($0)) })
    #expect(Table.distinctCount(many, RowSelection(0..<5000), upTo: 1000) == 1001)
    #expect(Table.distinctCount(many, RowSelection(0..<10), upTo: 1000) == 10)
    let mixed = ValueColumn([.integer(1), .number(1.0), .string("a"), .nil, .string("a"), .number(-0.0), .integer(0)])
    #expect(Table.distinctCount(mixed, RowSelection(0..<7), upTo: 1000) == 4)
    #expect(Table.distinct(mixed, RowSelection(0..<7)).values.count == 4)
  }

  /// Integers each a value of their own over every row in order are their own distinct values;
  /// a value twice, a nil, rows skipped or out of order are counted as always.
  @Test func everyRowDistinctIsTheColumnItself() {
    let cases: [(ValueColumn, RowSelection)] = [
      (ValueColumn((0..<500).map { LuaValue.integer(Int64(499 - $0) * 3) }), RowSelection(0..<500)),
      (ValueColumn([5, .nil, 7, 9]), RowSelection(0..<4)),
      (ValueColumn([5, 7, 5, 9]), RowSelection(0..<4)),
      (ValueColumn([5, 7, 8, 9]), [0, 2, 3]),
      (ValueColumn([5, 7, 8, 9]), [3, 2, 1, 0]),
    ]
    for (column, rows) in cases {
      let (values, code) = Table.distinct(column, rows)
      var expected: [LuaValue] = []
      for row in rows where !expected.contains(column[row]) { expected.append(column[row]) }
      #expect(Array(values) == expected)
      #expect(code.map { values[Int($0)] } == rows.map { column[$0] })
    }
  }

  @Test func codesFollowFirstAppearanceOverTheRowsGiven() {
    let table = Table(columns: [
      .init(name: "a", values: [.integer(5), .integer(7), .integer(5), .integer(9)], isVariable: true),
      .init(name: "b", values: [.string("x"), .string("x"), .string("y"), .string("x")], isVariable: true),
    ])
    let grouping = Table.grouping(table.columns, [3, 0, 1, 2])
    #expect(grouping.code == [0, 1, 2, 3])
    #expect(grouping.keys == [[.integer(9), .string("x")], [.integer(5), .string("x")], [.integer(7), .string("x")], [.integer(5), .string("y")]])
    let one = Table.grouping([table.columns[1]], [0, 1, 2, 3])
    #expect(one.code == [0, 0, 1, 0])
    #expect(one.count == 2)
  }

  /// The report's first 1000 points of many: by a bit set for integer columns, the same keys,
  /// rows and count as grouping every row (nils a group of their own, first appearance first).
  @Test func firstGroupsOfIntegerColumnsAreThoseOfTheWholeGrouping() throws {
    let a: [LuaValue] = (0..<300).map { (row: Int) -> LuaValue in
      row % 7 == 3 ? .nil : .integer(Int64((row * 37) % 50 - 20))
    }
    let b: [LuaValue] = (0..<300).map { (row: Int) -> LuaValue in .integer(Int64(row % 3)) }
    let table = Table(columns: [.init(name: "a", values: a, isVariable: true), .init(name: "b", values: b, isVariable: true)])
    let whole = try table.groups(by: ["a", "b"])
    for limit in [1, 10, 100] {
      let first = try #require(Table.firstGroups(table.columns.map(\.values), rowCount: 300, limit: limit))
      #expect(first.count == whole.count)
      #expect(first.keys == Array(whole.keys.prefix(limit)))
      #expect(first.rows == Array(whole.rows.prefix(limit)))
      #expect(try table.groups(by: ["a", "b"], limit: limit).rows == first.rows)
    }
    // Strings, or integers too far apart for a bit set, go the general way.
    #expect(Table.firstGroups([ValueColumn([.string("x"), .string("y")])], rowCount: 2, limit: 1) == nil)
    #expect(Table.firstGroups([ValueColumn([.integer(0), .integer(1 << 40)])], rowCount: 2, limit: 1) == nil)
  }
}
