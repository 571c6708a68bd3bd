package import MPFCore
package import MPFResults

/// Where a resumed experiment stands: which stored runs stay, which planned runs are still to
/// do, and what changed since it started. A pure computation over the stored experiment and
/// the script's plan now.
package struct ResumePoint: Sendable {
  /// The stored runs that stay, their values in the script's variable order.
  package var kept: RunRecords
  /// Every stored run, its values in the script's variable order (what experiment.yaml holds
  /// before the resume adds to it).
  package var stored: RunRecords
  /// The planned runs still to do, in plan order.
  package var remaining: RunList
  /// Stored runs whose point is no longer in the plan (kept as they are).
  package var removed: Int
  /// Planned runs the experiment did not have when it started (variables or n_runs changed).
  package var added: Int
  package var planned: Int

  /// - Parameter retryFailed: failed and timed-out runs run again too (node-lost runs always do).
  /// - Parameter adaptive: repetitions past the plan's are the rule's extra rounds, not runs of
  ///   points the script no longer has.
  package init(stored: StoredExperiment, plan: RunPlan, retryFailed: Bool, adaptive: Bool = false) {
    let key = { (run: PlannedRun) in RunKey(values: run.values, repetition: run.repetition) }
    let plannedKeys = Set(plan.runs.map(key))
    let storedNames = stored.variables.map(\.name)
    // Stored values follow the stored variable order; put them in the script's order (by
    // column, without making each run a row).
    let columnOf = plan.variables.map { variable in storedNames.firstIndex(of: variable.name) }
    let reorder = { (values: [LuaValue]) -> [LuaValue] in columnOf.map { $0.map { values[$0] } ?? .nil } }
    let rows = stored.rows.reorderingVariables(columnOf)
    self.stored = rows
    let storedKey = { (position: Int) in RunKey(values: rows.values(at: position), repetition: rows.repetition(at: position)) }
    let keptPositions = rows.indices.filter { retryFailed ? rows.status(at: $0) == .ok : rows.status(at: $0) != .nodeLost }
    kept = keptPositions.count == rows.count ? rows : rows.gathering(keptPositions)
    let done = Set(keptPositions.map(storedKey))
    remaining = plan.runs.subset { !done.contains(key($0)) }
    if adaptive {
      let points = Set(plan.runs.map(\.values))
      removed = Set(rows.indices.filter { !points.contains(rows.values(at: $0)) }.map(storedKey)).count
    } else {
      removed = Set(rows.indices.map(storedKey)).subtracting(plannedKeys).count
    }
    let originalKeys: Set<RunKey>
    if let digest = stored.pointsDigest {
      // Points that are not every combination (when, exclude, zip): the same points, or those stored.
      originalKeys = digest == plan.pointsDigest ? plannedKeys : Set(rows.indices.map(storedKey))
    } else {
      let original = RunPlan(variables: stored.variables, runCount: stored.runCount, seed: stored.seed)
      originalKeys = Set(original.runs.map { RunKey(values: reorder($0.values), repetition: $0.repetition) })
    }
    added = plannedKeys.subtracting(originalKeys).count
    planned = plannedKeys.count
  }

  /// What a resume says before it starts: the counts, then what changed.
  package func messages(id: String) -> [String] {
    let todo = remaining.count
    var lines = ["mpf: resuming \(id): \(planned - todo) of \(planned) runs done, \(todo) to run"]
    if removed > 0 { lines.append("mpf: \(removed) stored runs are no longer in the script's plan: kept as they are") }
    if added > 0 { lines.append("mpf: \(added) runs are new: the script's variables or n_runs changed since the experiment started") }
    return lines
  }
}
