package import MPFText
/// The runs of an experiment, kept column by column: what the controller holds for every run
/// done (while it runs, and when it reads experiment.yaml back).
///
/// A `ResultRow` is one run as the engine makes it; appended here, it becomes a few numbers in
/// typed columns (`ValueColumn`): its variables' values, its results as returned, its status,
/// times and log. Reading `records[i]` gives the `ResultRow` back; the dataframe and the graphs
/// read whole columns instead. About 60 bytes a run for one variable and one result, where a
/// `ResultRow` of its own costs over a kilobyte.
package struct RunRecords: Sendable, RandomAccessCollection {
  /// What few runs have: kept aside, by position.
  private struct Extras: Sendable {
    var error: String?
    var files: [String] = []
    var traceback: String?
    var machines: [String: String] = [:]
  }

  private var runIndices = CompactIntegers()
  private var repetitions = CompactIntegers()
  private var variables: [ValueColumn] = []
  private var results: [ValueColumn] = []
  /// Result names, in the order their columns were made.
  private var names: [String] = []
  private var column: [String: Int] = [:]
  /// Where each result first appears: the lowest run index returning it, and its place in
  /// that run's own order (what `resultOrder` sorts by).
  private var firstSeen: [(index: Int, place: Int)] = []
  private var statuses: [RunStatus] = []
  private var starts: [Double] = []
  private var durations: [Double] = []
  /// Whether the run has a log, and where when it is not the usual `logs/run-INDEX`.
  private var hasLog: [Bool] = []
  private var otherLogs: [Int: String] = [:]
  private var extras: [Int: Extras] = [:]

  package init() {}

  package init<S: Sequence>(_ rows: S) where S.Element == ResultRow {
    for row in rows { append(row) }
  }

  package var startIndex: Int { 0 }
  package var endIndex: Int { runIndices.count }

  package subscript(position: Int) -> ResultRow {
    var row = ResultRow(index: Int(runIndices[position]), repetition: Int(repetitions[position]), values: values(at: position))
    // Locals: closures that captured `self` would copy every column's reference per call.
    let firstSeen = self.firstSeen
    var present: [Int] = []
    for c in results.indices where !results[c].isMissing(position) { present.append(c) }
    for c in present { row.results[names[c]] = ResultValue(raw: results[c][position]) }
    if present.count > 1 { present.sort { firstSeen[$0] < firstSeen[$1] } }
    row.resultOrder = present.map { names[$0] }
    row.status = statuses[position]
    row.start = starts[position]
    row.duration = durations[position]
    row.log = log(at: position)
    if let extra = extras[position] {
      (row.error, row.files, row.traceback, row.machines) = (extra.error, extra.files, extra.traceback, extra.machines)
    }
    return row
  }

  package mutating func reserveCapacity(_ capacity: Int) {
    runIndices.reserveCapacity(capacity)
    repetitions.reserveCapacity(capacity)
    statuses.reserveCapacity(capacity)
    starts.reserveCapacity(capacity)
    durations.reserveCapacity(capacity)
    hasLog.reserveCapacity(capacity)
    for c in variables.indices { variables[c].reserveCapacity(capacity) }
  }

  package mutating func append(_ row: ResultRow) {
    let position = count
    runIndices.append(Int32(clamping: row.index))
    repetitions.append(Int32(clamping: row.repetition))
    while variables.count < row.values.count {
      var column = ValueColumn(repeating: .nil, count: position)
      column.reserveCapacity(statuses.capacity)
      variables.append(column)
    }
    for c in variables.indices { variables[c].append(c < row.values.count ? row.values[c] : .nil) }
    for (place, name) in row.resultOrder.enumerated() {
      guard let value = row.results[name] else { continue }
      let c = column[name] ?? newResult(name)
      if row.index < firstSeen[c].index { firstSeen[c] = (row.index, place) }
      // Columns this run returned nothing for get their nil below.
      while results[c].count < position { results[c].append(.nil) }
      results[c].append(value.raw)
    }
    for c in results.indices where results[c].count == position { results[c].append(.nil) }
    statuses.append(row.status)
    starts.append(row.start)
    durations.append(row.duration)
    hasLog.append(row.log != nil)
    if let log = row.log, log != Self.usualLog(of: row.index) { otherLogs[position] = log }
    if row.error != nil || !row.files.isEmpty || row.traceback != nil || !row.machines.isEmpty {
      extras[position] = Extras(error: row.error, files: row.files, traceback: row.traceback, machines: row.machines)
    }
  }

  package mutating func append(contentsOf other: RunRecords) {
    guard !isEmpty else {
      self = other
      return
    }
    reserveCapacity(count + other.count)
    for row in other { append(row) }
  }

  package static func += (records: inout RunRecords, other: RunRecords) { records.append(contentsOf: other) }

  /// The runs at `positions`, in that order.
  package func gathering(_ positions: [Int]) -> RunRecords {
    var out = self
    out.runIndices = runIndices.gathering(positions)
    out.repetitions = repetitions.gathering(positions)
    out.variables = variables.map { $0.gathering(positions) }
    out.results = results.map { $0.gathering(positions) }
    out.statuses = positions.map { statuses[$0] }
    out.starts = positions.map { starts[$0] }
    out.durations = positions.map { durations[$0] }
    out.hasLog = positions.map { hasLog[$0] }
    out.otherLogs = [:]
    if !otherLogs.isEmpty {
      for (to, from) in positions.enumerated() { out.otherLogs[to] = otherLogs[from] }
    }
    out.extras = [:]
    if !extras.isEmpty {
      for (to, from) in positions.enumerated() { out.extras[to] = extras[from] }
    }
    return out
  }

  /// The same runs with their variables in another order: `order[k]` is the position, among
  /// these, of the k-th variable wanted (nil: a variable these runs do not have, nil in each).
  package func reorderingVariables(_ order: [Int?]) -> RunRecords {
    var out = self
    out.variables = order.map { $0.map(variable) ?? ValueColumn(repeating: .nil, count: count) }
    return out
  }

  /// Result names in the order they first came back, runs taken by index (a run's own results
  /// in the order it gave them).
  package var resultOrder: [String] {
    names.indices.sorted { firstSeen[$0] < firstSeen[$1] }.map { names[$0] }
  }

  /// The results named `name` as returned (nil where a run did not return it).
  package func result(named name: String) -> ValueColumn? { column[name].map { results[$0] } }

  /// The values of the variable at `position` in the experiment's list, one per run.
  package func variable(_ position: Int) -> ValueColumn {
    position < variables.count ? variables[position] : ValueColumn(repeating: .nil, count: count)
  }

  package func values(at position: Int) -> [LuaValue] { variables.map { $0[position] } }
  package func index(at position: Int) -> Int { Int(runIndices[position]) }
  package func repetition(at position: Int) -> Int { Int(repetitions[position]) }
  package func status(at position: Int) -> RunStatus { statuses[position] }
  package func error(at position: Int) -> String? { extras[position]?.error }
  package func duration(at position: Int) -> Double { durations[position] }
  package func log(at position: Int) -> String? {
    guard hasLog[position] else { return nil }
    return otherLogs[position] ?? Self.usualLog(of: index(at: position))
  }

  /// Where a run's log is written (`ResultsDirectory.writeLog` of `run-INDEX`).
  private static func usualLog(of index: Int) -> String { "logs/run-" + String(index).zeroPadded(to: 4) }

  /// Every run's repetition, as a column: one value and a count when every run has the same
  /// (8 bytes a run otherwise; 0.8 MB at 100 000 runs, and as much again in point order).
  package var repetitionColumn: ValueColumn {
    if let constant = repetitions.constant { return ValueColumn(repeating: .integer(Int64(constant)), count: count) }
    return ValueColumn(integers: repetitions.map { Int64($0) })
  }

  /// Every run's status (`ok`, `failed`, ...), as a column.
  package var statusColumn: ValueColumn {
    let all: [RunStatus] = [.ok, .failed, .timeout, .nodeLost]
    let code = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, UInt32($0)) })
    return ValueColumn(codes: statuses.lazy.map { code[$0] ?? 0 }, strings: all.map(\.rawValue))
  }

  /// Every run's error, as a column (nil for runs without one).
  package var errorColumn: ValueColumn {
    guard !extras.isEmpty else { return ValueColumn(repeating: .nil, count: count) }
    return ValueColumn(indices.lazy.map { position in self.extras[position]?.error.map { .string($0) } ?? .nil })
  }

  /// How many runs did not end well.
  package var failedCount: Int { statuses.count { $0 != .ok } }

  private mutating func newResult(_ name: String) -> Int {
    column[name] = names.count
    names.append(name)
    firstSeen.append((Int.max, 0))
    var values = ValueColumn()
    values.reserveCapacity(statuses.capacity)
    results.append(values)
    return names.count - 1
  }
}
