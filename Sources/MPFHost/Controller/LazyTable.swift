internal import MPFCore
internal import MPFResults

/// A dataframe made only when the script uses it: `on_run`'s `df`, handed over after every
/// run. It names the runs so far by their count in the experiment's append-only list of them,
/// so that handing it over costs nothing, and only a script that reads it pays for building
/// it (before, every run sorted and copied every run so far: 5 000 runs took 25 s).
final class LazyTable: @unchecked Sendable {
  // @unchecked: made, read and dropped on the Lua thread only.
  /// How many rows it has (`#df` answers without building it).
  let count: Int
  private var make: (() -> Table)?
  private var made: Table?

  init(count: Int, make: @escaping () -> Table) {
    self.count = count
    self.make = make
  }

  var table: Table {
    if let made { return made }
    let table = make?() ?? Table(columns: [])
    (made, make) = (table, nil)
    return table
  }
}

/// The runs handed to `on_run` so far: appended one by one, never changed, so that the first
/// `n` of them stay what a `LazyTable` of `n` runs names.
final class RunsSoFar: @unchecked Sendable {
  // @unchecked: appended to and read on the Lua thread only.
  private(set) var records: RunRecords

  init(_ records: RunRecords) { self.records = records }

  var count: Int { records.count }

  func append(_ row: ResultRow) { records.append(row) }

  /// The first `n` runs.
  func prefix(_ n: Int) -> RunRecords { n == records.count ? records : records.gathering(Array(0..<n)) }
}

extension LuaObject {
  /// The dataframe this object holds (a `Table`, or a `LazyTable` built now), nil for any
  /// other object.
  var dataframe: Table? { (value as? Table) ?? (value as? LazyTable)?.table }
}
