package import MPFCore

/// Some rows of a table, in a given order: what `Table.grouping` and `Table.distinct` go over
/// and what a figure draws. Kept as a rule while the rows count up by a fixed step (every row
/// of a table: a range, no array) and as 32-bit row numbers from the first that breaks it.
///
/// A figure's counted rows were an `[Int]` of every run when every run counted (0.8 MB at
/// 100 000 runs) for what is `0..<rowCount`.
package struct RowSelection: Sendable, RandomAccessCollection, Equatable, ExpressibleByArrayLiteral {
  private var rows = CompactIntegers()

  package init() {}

  /// The rows of `rows`, in order: a range (every row of a table) is kept without an array.
  package init<S: Sequence>(_ rows: S) where S.Element == Int {
    self.rows.reserveCapacity(rows.underestimatedCount)
    for row in rows { append(row) }
  }

  package init(arrayLiteral elements: Int...) { self.init(elements) }

  package var startIndex: Int { 0 }
  package var endIndex: Int { rows.count }

  package subscript(position: Int) -> Int { Int(rows[position]) }

  /// Whether the rows are held as a rule (a range) rather than an array.
  package var isRule: Bool { rows.isRule }

  package mutating func reserveCapacity(_ capacity: Int) { rows.reserveCapacity(capacity) }

  package mutating func append(_ row: Int) {
    precondition(row >= 0 && row < Int(Int32.max), "a row number beyond 2^31")
    rows.append(Int32(row))
  }
}
