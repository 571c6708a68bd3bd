package import MPFCore
package import MPFCluster

/// Drives an experiment: starts one worker per role, runs the `init` functions, then every run
/// its source gives, telling its observer about each (which records it before the next starts).
package struct Orchestrator: Sendable {
  package var experiment: Experiment
  package var cluster: Cluster
  /// Makes the channel to a role's worker: a local process, or `mpf worker` over ssh.
  package var connect: @Sendable (RoleAssignment) async throws -> any Channel
  /// Makes it again after the connection was lost.
  package var reconnect: @Sendable (RoleAssignment) async throws -> any Channel
  /// Seconds to wait before each attempt to reconnect a lost worker.
  package var backoff: [Double] = [1, 2, 4]
  /// Ctrl-C: stop after the run in progress, or now.
  package var stop = StopRequest()
  /// The experiment's id, which every function sees as `ctx.experiment.id`.
  package var experimentID = ""
  /// Deploys and builds the script's software (`mpf.software`) once the workers are up,
  /// before the init functions; nil when it declares none.
  package var deploy: (@Sendable () async throws -> Deployment)?

  package init(
    experiment: Experiment, cluster: Cluster, connect: @escaping @Sendable (RoleAssignment) async throws -> any Channel,
    reconnect: @escaping @Sendable (RoleAssignment) async throws -> any Channel
  ) {
    self.experiment = experiment
    self.cluster = cluster
    self.connect = connect
    self.reconnect = reconnect
  }

  /// Runs the experiment: every run `source` gives.
  ///
  /// - Returns: the rows of every run done.
  /// - Throws: `Diagnostic` when the script fails on a worker or an `init` function fails,
  ///   `TransportError` when a worker cannot start; once runs have started, `PartialRunError`
  ///   with the rows done and what stopped them (`ExperimentStopped`, an observer's error).
  package func run(_ source: some RunSource, observer: some RunObserver) async throws -> [ResultRow] {
    var source = source
    var sessions = try await startSessions(experiment.roles(in: cluster))
    var facts: [String: LuaValue] = [:]
    for (role, session) in sessions {
      if let machine = cluster.assignment(of: role)?.machine.displayName { facts[machine] = await session.facts }
    }
    var deployment = Deployment()
    do {
      if let deploy {
        deployment = try await deploy()
        try observer.started(facts: facts, software: deployment.record(experiment.software))
      } else {
        try observer.started(facts: facts)
      }
    } catch {
      await shutdown(sessions)
      throw error
    }
    var executor = RunExecutor(experiment: experiment, cluster: cluster, experimentID: experimentID, observer: observer)
    executor.deployment = deployment
    var rows: [ResultRow] = []
    let watcher = Task { [sessions] in await watchStop(sessions, observer: observer) }
    defer { watcher.cancel() }
    do {
      try await runInitFunctions(sessions, deployment: deployment, observer: observer)
      var last: ResultRow?
      while let planned = source.next(after: last) {
        try Task.checkCancellation()
        if stop.level > .none { throw ExperimentStopped(.interruptedAfterRun) }
        let description = describe(planned)
        observer.starting(planned, description: description)
        let (row, lostRole) = try await execute(planned, with: executor, sessions: &sessions, observer: observer)
        rows.append(row)
        try await observer.finished(row, description: description)
        if let lostRole {
          let machine = cluster.assignment(of: lostRole)?.machine.displayName ?? lostRole
          throw ExperimentStopped(.machineLost(machine: machine, role: lostRole, run: planned.index))
        }
        if var mistake = row.mistake {
          // The same mistake would fail every run: say it once, now.
          mistake.notes.append(
            "every run would fail the same way: the experiment stopped after run \(planned.index); fix the script, then resume it")
          throw mistake
        }
        if row.status != .ok, experiment.stopOnError {
          throw ExperimentStopped(.runFailed(run: planned.index, status: row.status.rawValue))
        }
        last = row
      }
    } catch {
      await shutdown(sessions, observer: observer)
      throw PartialRunError(rows: rows, underlying: error)
    }
    await shutdown(sessions, observer: observer)
    return rows
  }

  /// One run; when a worker's connection drops, ends the run elsewhere, brings the worker back
  /// and redoes the run, or gives a node-lost row (and the lost role) when it stays away.
  private func execute(
    _ planned: PlannedRun, with executor: RunExecutor, sessions: inout [String: NodeSession], observer: some RunObserver
  ) async throws -> (row: ResultRow, lostRole: String?) {
    var attempts = 0
    while true {
      do {
        return (try await executor.execute(planned, on: sessions), nil)
      } catch let overran as WorkersEnded {
        // A function overran its timeout and its worker was ended: the run is recorded as a
        // timeout (never redone), and the role gets a new worker for the next run.
        for role in overran.roles {
          guard let assignment = cluster.assignment(of: role) else { continue }
          guard let session = await revive(assignment, observer: observer) else { return (overran.row, role) }
          sessions[role] = session
          try await runInitFunctions(sessions, only: role, deployment: executor.deployment, observer: observer)
        }
        return (overran.row, nil)
      } catch let lost as TransportError {
        guard stop.level < .now, let role = lost.role, let assignment = cluster.assignment(of: role) else { throw lost }
        attempts += 1
        observer.message("mpf: \(lost); reconnecting")
        for (other, session) in sessions where other != role { _ = try? await session.endRun(planned.index) }
        if attempts <= 2, let session = await revive(assignment, observer: observer) {
          sessions[role] = session
          try await runInitFunctions(sessions, only: role, deployment: executor.deployment, observer: observer)
          observer.message("mpf: \(assignment.machine.displayName) is back; redoing run \(planned.index)")
          continue
        }
        var row = ResultRow(index: planned.index, repetition: planned.repetition, values: planned.values)
        row.start = Clock.wall()
        row.fail("\(lost.node): connection lost: \(lost.message)", status: .nodeLost)
        return (row, role)
      }
    }
  }

  private func describe(_ run: PlannedRun) -> String {
    // Labels are the script's text: escaped, they cannot drive the terminal.
    // A variable that does not apply to this point (`when`) is left out.
    let values = zip(experiment.variables, run.values).filter { $1 != .nil }.map { "\($0.name)=\($0.label(of: $1).escapingControlCharacters)" }
    return (values + (experiment.runCount > 1 ? ["#\(run.repetition)"] : [])).joined(separator: " ")
  }

  private func startSessions(_ roles: [String]) async throws -> [String: NodeSession] {
    try await withThrowingTaskGroup(of: NodeSession.self) { group in
      for role in roles {
        guard let assignment = cluster.assignment(of: role) else {
          throw Diagnostic(.usage, "role '\(role)' has no machine in the cluster")
        }
        group.addTask { [connect] in try await startSession(assignment, through: connect) }
      }
      var sessions: [String: NodeSession] = [:]
      do {
        for try await session in group { sessions[session.role] = session }
      } catch {
        await shutdown(sessions)
        throw error
      }
      return sessions
    }
  }

  /// A worker for `assignment`, with the script loaded (shut down again if loading fails).
  private func startSession(
    _ assignment: RoleAssignment, through connect: @Sendable (RoleAssignment) async throws -> any Channel
  ) async throws -> NodeSession {
    let session = NodeSession(role: assignment.role, channel: try await connect(assignment))
    do {
      try await session.load(experiment)
    } catch {
      await session.shutdown()
      throw error
    }
    return session
  }

  /// Reconnects a lost worker, waiting `backoff` before each attempt; nil if it stays away.
  private func revive(_ assignment: RoleAssignment, observer: some RunObserver) async -> NodeSession? {
    for (attempt, delay) in backoff.enumerated() {
      try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
      if stop.level == .now { return nil }
      do {
        return try await startSession(assignment, through: reconnect)
      } catch {
        observer.message("mpf: reconnecting \(assignment.machine.displayName), attempt \(attempt + 1) of \(backoff.count): \(error)")
      }
    }
    return nil
  }

  /// Runs the `init` functions (of `only`'s role after a reconnection); each one's commands,
  /// output and prints go to `logs/init-ROLE.log`, and its error stops the experiment.
  private func runInitFunctions(
    _ sessions: [String: NodeSession], only: String? = nil, deployment: Deployment, observer: some RunObserver
  ) async throws {
    for function in experiment.initFunctions {
      guard let role = function.fixedRole, only == nil || only == role, let session = sessions[role] else { continue }
      var fields: [String: LuaValue] = [
        "role": .string(role), "kind": .string("init"), "roles": cluster.rolesValue, "experiment": .record(["id": .string(experimentID)]),
      ]
      if !experiment.software.isEmpty, let machine = cluster.assignment(of: role)?.machine.displayName {
        fields["software"] = deployment.context(on: machine, software: experiment.software, variables: experiment.variables, values: nil)
      }
      let context = LuaValue.record(fields)
      let result = try await session.call(function, run: -1, context: context, values: .record([:]))
      var log = result.log
      if let error = result.error { log.append(.print("error: \(error.diagnostic.verboseDescription)")) }
      if let text = RunLog.text(sections: [("init of role \(role), function at \(function.location)", log)]) {
        do {
          _ = try observer.writeLog(named: "init-\(role)", text)
        } catch {
          observer.message("mpf: the log of the init function of role '\(role)' was not written: \(error)")
        }
      }
      if let error = result.error, error.kind == .timeout {
        throw Diagnostic(.timeout, "the init function of role '\(role)' timed out", at: function.location)
      }
      if let error = result.error { throw error.diagnostic }
    }
  }

  /// Says what a first Ctrl-C does; on a second one closes every worker's stream, which ends
  /// their commands and processes and makes the calls in flight fail at once.
  private func watchStop(_ sessions: [String: NodeSession], observer: some RunObserver) async {
    for await level in stop.changes {
      switch level {
      case .none: continue
      case .afterRun:
        observer.message("mpf: Ctrl-C: finishing the run in progress, then stopping (Ctrl-C again to stop now)")
      case .now:
        let why = stop.wasTerminated ? "told to end" : "Ctrl-C again"
        observer.message("mpf: \(why): stopping now; the run in progress is not recorded")
        await withTaskGroup(of: Void.self) { group in
          for session in sessions.values { group.addTask { await session.abort() } }
        }
        return
      }
    }
  }

  /// Shuts every worker down; with an observer, keeps their `mpf.md('exp')` files in `exp/<role>/`.
  private func shutdown(_ sessions: [String: NodeSession], observer: (any RunObserver)? = nil) async {
    let files = await withTaskGroup(of: (String, [WorkerFile]).self) { group in
      for (role, session) in sessions { group.addTask { (role, await session.shutdown()) } }
      var files: [(String, [WorkerFile])] = []
      for await item in group { files.append(item) }
      return files
    }
    for (role, roleFiles) in files where !roleFiles.isEmpty {
      _ = try? observer?.store(roleFiles, under: "exp/\(role)")
    }
  }
}

/// An experiment that stopped early: the runs done so far (all already recorded).
package struct PartialRunError: Error {
  package var rows: [ResultRow]
  package var underlying: any Error
}
