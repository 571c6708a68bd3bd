/// Drives an experiment: starts one worker per role, runs the `init` functions, then every
/// planned run stage by stage, appending each finished run to the results before the next.
struct Orchestrator: Sendable {
  var experiment: Experiment
  var cluster: Cluster
  /// Makes the channel to a role's worker (a local process now, ssh later).
  var connect: @Sendable (RoleAssignment) throws -> any Channel

  /// Runs the whole experiment.
  ///
  /// - Returns: the dataframe of every run done.
  /// - Throws: `ScriptError` when the script fails on a worker or an `init` function fails,
  ///   `TransportError` when a worker goes away, `SystemError` when results cannot be written.
  func run(plan: RunPlan, results: ResultsDirectory, progress: ProgressReporter) async throws -> DataFrame {
    let sessions = try await startSessions()
    var rows: [ResultRow] = []
    do {
      try await runInitFunctions(sessions)
      let rolesValue = cluster.rolesValue
      var warned: Set<String> = []
      for planned in plan.runs {
        try Task.checkCancellation()
        let description = describe(planned)
        progress.starting(description)
        var row = try await execute(planned, plan: plan, sessions: sessions, roles: rolesValue, results: results) { warning in
          if warned.insert(warning).inserted { progress.message(warning) }
        }
        try results.append(run: ExperimentRecord.run(row, variables: experiment.variables))
        if row.status != .ok, let error = row.error { progress.message("run \(planned.index)\(description.isEmpty ? "" : " (\(description))") failed: \(error)") }
        progress.finished(description, status: row.status, duration: row.duration)
        rows.append(row)
      }
    } catch {
      await shutdown(sessions)
      throw PartialRunError(rows: rows, underlying: error)
    }
    await shutdown(sessions)
    return DataFrame(variables: experiment.variables, rows: rows)
  }

  private func describe(_ run: PlannedRun) -> String {
    let values = zip(experiment.variables, run.values).map { "\($0.name)=\($0.label(of: $1))" }
    return (values + (experiment.runCount > 1 ? ["#\(run.repetition)"] : [])).joined(separator: " ")
  }

  private func startSessions() async throws -> [String: NodeSession] {
    try await withThrowingTaskGroup(of: NodeSession.self) { group in
      for role in experiment.roles {
        guard let assignment = cluster.assignment(of: role) else {
          throw ScriptError(.usage, "role '\(role)' has no machine in the cluster")
        }
        group.addTask { [experiment, connect] in
          let session = NodeSession(role: role, channel: try connect(assignment))
          do {
            try await session.load(experiment)
          } catch {
            await session.shutdown()
            throw error
          }
          return session
        }
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

  private func runInitFunctions(_ sessions: [String: NodeSession]) async throws {
    for function in experiment.initFunctions {
      guard let session = sessions[function.role] else { continue }
      let context = LuaValue.record([
        "role": .string(function.role), "kind": .string("init"), "roles": cluster.rolesValue,
      ])
      let result = try await session.call(function, run: -1, context: context, values: .record([:]))
      if let error = result.error { throw error.scriptError }
    }
  }

  /// One run: its stages in order, the calls within a stage concurrently (each after its delay).
  private func execute(
    _ planned: PlannedRun, plan: RunPlan, sessions: [String: NodeSession], roles: LuaValue, results: ResultsDirectory,
    warn: (String) -> Void
  ) async throws -> ResultRow {
    var row = ResultRow(index: planned.index, repetition: planned.repetition, values: planned.values)
    row.start = Clock.wall()
    let started = Clock.monotonic()
    var values = LuaTable()
    for (name, value) in plan.namedValues(of: planned) { values.fields[.string(name)] = value }
    var sections: [(title: String, log: [LogEntry])] = []
    var touched: Set<String> = []
    stages: for stage in experiment.stages {
      let outcomes = try await withThrowingTaskGroup(of: (Int, CallResult).self) { group in
        for (position, function) in stage.enumerated() {
          guard let session = sessions[function.role] else { continue }
          touched.insert(function.role)
          let context = LuaValue.record([
            "role": .string(function.role), "run": .integer(Int64(planned.index)),
            "repetition": .integer(Int64(planned.repetition)), "kind": .string("run"), "roles": roles,
          ])
          group.addTask { [values] in
            if function.delay > 0 { try await Task.sleep(for: .milliseconds(Int64(function.delay * 1000))) }
            return (position, try await session.call(function, run: planned.index, context: context, values: .table(values)))
          }
        }
        var outcomes: [(Int, CallResult)] = []
        for try await outcome in group { outcomes.append(outcome) }
        return outcomes.sorted { $0.0 < $1.0 }
      }
      for (position, outcome) in outcomes {
        let function = stage[position]
        sections.append(("run \(planned.index), role \(function.role), function at \(function.location)", outcome.log))
        for case .warning(let text) in outcome.log { warn(text) }
        if let error = outcome.error {
          row.fail(error.scriptError.locatedMessage)
          continue
        }
        do {
          if case .table(let table) = outcome.results { try row.merge(table, from: function) }
        } catch let error as ScriptError {
          row.fail(error.locatedMessage)
        }
      }
      if row.status != .ok { break stages }
    }
    for role in experiment.roles where touched.contains(role) {
      guard let session = sessions[role] else { continue }
      sections.append(("run \(planned.index), role \(role), background commands", try await session.endRun(planned.index)))
    }
    if let text = ExperimentRecord.logText(sections: sections) {
      row.log = try results.writeLog(named: "run-\(String(planned.index).padded(to: 4, alignRight: true).replacingAll(" ", with: "0")).log", text)
    }
    row.duration = Clock.monotonic() - started
    return row
  }

  private func shutdown(_ sessions: [String: NodeSession]) async {
    await withTaskGroup(of: Void.self) { group in
      for session in sessions.values { group.addTask { await session.shutdown() } }
    }
  }
}

/// An experiment that stopped early: the runs done so far (all already in the results file).
struct PartialRunError: Error {
  var rows: [ResultRow]
  var underlying: any Error
}

extension ScriptError {
  /// `file:line: message`, as stored in a failed run's `error`.
  var locatedMessage: String { location.map { "\($0): \(message)" } ?? message }
}
