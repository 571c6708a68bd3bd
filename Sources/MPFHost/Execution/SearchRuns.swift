import Synchronization
package import MPFCore

/// Whether each run of a search was good enough (`mpf.search`'s `ok`), by run index: the
/// script's function decides on the controller's Lua thread when the run is recorded, before
/// the orchestrator asks for the next run.
package final class SearchVerdicts: Sendable {
  private let verdicts = Mutex<[Int: Bool]>([:])

  package init() {}

  package func set(_ ok: Bool, run: Int) { verdicts.withLock { $0[run] = ok } }

  package func verdict(_ run: Int) -> Bool? { verdicts.withLock { $0[run] } }
}

/// The runs of `mpf.search`: for each combination of the other variables, a binary search over
/// the searched variable's values (in increasing order) for the highest one whose run is ok.
/// Each round probes every unfinished combination once, in an order shuffled by the seed and
/// the round; a combination is done when its highest ok value and lowest failing one are
/// neighbours (or the ends of the range).
package struct SearchRuns: RunSource {
  private struct Search {
    var values: [LuaValue]
    /// Highest index known ok (-1: none yet), lowest known not ok (count: none yet).
    var low: Int
    var high: Int
    var probing: Int?
  }

  private let column: Int
  /// The searched variable: its values, in increasing order, are what the search probes.
  private let variable: Variable
  private let seed: UInt64
  private let verdicts: SearchVerdicts
  private var searches: [Search]
  private var queue: [(search: Int, run: PlannedRun)] = []
  private var position = 0
  private var round = 0
  private var nextIndex = 0

  /// - Parameters:
  ///   - column: the searched variable's position; `variables[column].values` are its values.
  ///   - combinations: the points of the other variables (any value in `column`).
  package init(variables: [Variable], column: Int, combinations: [[LuaValue]], seed: UInt64, verdicts: SearchVerdicts) {
    self.column = column
    variable = variables[column]
    self.seed = seed
    self.verdicts = verdicts
    searches = combinations.map { Search(values: $0, low: -1, high: variables[column].values.count) }
    queue = SearchRuns.round(&searches, column: column, variable: variable, seed: seed, round: 0, firstIndex: 0)
    nextIndex = queue.count
  }

  package var remaining: Int { queue.count - position }

  /// Each unfinished search's next probe (the middle of what is unknown), shuffled.
  private static func round(
    _ searches: inout [Search], column: Int, variable: Variable, seed: UInt64, round: Int, firstIndex: Int
  ) -> [(search: Int, run: PlannedRun)] {
    var probes: [(search: Int, run: PlannedRun)] = []
    for (index, search) in searches.enumerated() where search.high - search.low > 1 {
      let middle = (search.low + search.high) / 2
      searches[index].probing = middle
      var values = search.values
      values[column] = variable.values[middle]
      probes.append((index, PlannedRun(index: 0, repetition: 0, values: values, point: index)))
    }
    var generator = SeededGenerator(seed: seed &+ UInt64(round) &* 0xD1B5_4A32_D192_ED03)
    generator.shuffle(&probes)
    for i in probes.indices { probes[i].run.index = firstIndex + i }
    return probes
  }

  package mutating func next(after row: ResultRow?) -> PlannedRun? {
    if let row, let done = queue.firstIndex(where: { $0.run.index == row.index }) {
      let search = queue[done].search
      if let probe = searches[search].probing {
        let ok = verdicts.verdict(row.index) ?? false
        if ok { searches[search].low = probe } else { searches[search].high = probe }
        searches[search].probing = nil
      }
    }
    if position < queue.count {
      defer { position += 1 }
      return queue[position].run
    }
    round += 1
    queue = SearchRuns.round(&searches, column: column, variable: variable, seed: seed, round: round, firstIndex: nextIndex)
    nextIndex += queue.count
    guard !queue.isEmpty else { return nil }
    position = 1
    return queue[0].run
  }

  /// The first round's runs (what the plan and experiment.yaml's run order hold).
  package var firstRound: [PlannedRun] { queue.map(\.run) }
}
