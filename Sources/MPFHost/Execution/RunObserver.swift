package import MPFCore

/// What the orchestrator tells the rest of the controller as an experiment goes: where results
/// are kept, what the user sees, and the script's `on_run`. The orchestrator itself stores and
/// draws nothing.
package protocol RunObserver: Sendable {
  /// Every worker has started; `facts` are each machine's, by machine name.
  func started(facts: [String: LuaValue]) throws
  /// The same, with what was deployed (`Deployment.record`) when the script declares software.
  func started(facts: [String: LuaValue], software: LuaValue) throws
  /// A run is about to start.
  func starting(_ run: PlannedRun, description: String)
  /// Keeps files a worker brought back (`runs/N/role`, `exp/role`); returns their paths.
  func store(_ files: [WorkerFile], under folder: String) throws -> [String]
  /// Keeps a log (`run-0007`, `init-server`) in the results; returns its path.
  func writeLog(named name: String, _ text: String) throws -> String
  /// A run is over: it is recorded before this returns, and the next run starts after.
  ///
  /// - Throws: to stop the experiment (the results cannot be written, `on_run` failed).
  func finished(_ row: ResultRow, description: String) async throws
  /// Something the user should read (a reconnection, a log not written).
  func message(_ text: String)
  /// A warning from a worker (a command not found): said once per experiment.
  func warning(_ text: String)
}

extension RunObserver {
  package func started(facts: [String: LuaValue], software: LuaValue) throws { try started(facts: facts) }
}
