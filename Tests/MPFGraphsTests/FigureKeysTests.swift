import Testing
import MPFCore
import MPFResults
@testable import MPFGraphs

/// The x keys of a figure in numeric order, whether the runs gave them in order (found in
/// place, no sort) or not: each row coded to its own value.
@Suite struct FigureKeysTests {
  @Test func keysAreInNumericOrderHoweverTheyCame() {
    let orders: [[Int64]] = [Array(1...300), Array((1...300).reversed()), (0..<300).map { ($0 * 7) % 300 }, [1, 1, 2, 3], [2, 1, 1, 3]]
    for given in orders {
      let column = Table.Column(name: "x", values: given.map { LuaValue.integer($0) }, isVariable: true)
      let keys = FigureBuilder.keys([column], RowSelection(0..<given.count))
      let distinct = Array(Set(given)).sorted()
      #expect(Array(keys.columns[0]) == distinct.map { LuaValue.integer($0) })
      #expect(keys.code.map { keys.columns[0][Int($0)] } == given.map { LuaValue.integer($0) })
    }
    // Strings keep their order of appearance; floats their numeric order.
    let strings = Table.Column(name: "s", values: ["b", "a", "b"], isVariable: true)
    #expect(Array(FigureBuilder.keys([strings], RowSelection(0..<3)).columns[0]) == ["b", "a"])
    let floats = Table.Column(name: "f", values: [2.5, 0.5, 1.5], isVariable: true)
    #expect(Array(FigureBuilder.keys([floats], RowSelection(0..<3)).columns[0]) == [0.5, 1.5, 2.5])
  }
}
