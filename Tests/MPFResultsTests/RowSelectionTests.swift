import Testing
import MPFResults

/// The rows a figure or a grouping goes over: a range without an array, a list as given.
@Suite struct RowSelectionTests {
  @Test func aRangeIsKeptAsARule() {
    let all = RowSelection(0..<100_000)
    #expect(all.isRule && all.count == 100_000 && all[99_999] == 99_999)
    #expect(Array(RowSelection(5..<9)) == [5, 6, 7, 8])
    #expect(RowSelection(0..<0).isEmpty)
  }

  @Test func rowsThatSkipAreKeptAsGiven() {
    var some = RowSelection()
    for row in 0..<1000 where row != 500 { some.append(row) }
    #expect(!some.isRule)
    #expect(Array(some) == Array(0..<500) + Array(501..<1000))
    let given: RowSelection = [3, 0, 1, 2]
    #expect(Array(given) == [3, 0, 1, 2] && given == RowSelection([3, 0, 1, 2]))
  }
}
