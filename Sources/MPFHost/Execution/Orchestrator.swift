package import MPFCore
package import MPFYAML
package import MPFResults
package import MPFCluster
/// Drives an experiment: starts one worker per role, runs the `init` functions, then every
/// planned run stage by stage, appending each finished run to the results before the next.
package struct Orchestrator: Sendable {
  package var experiment: Experiment
  package var cluster: Cluster
  /// Makes the channel to a role's worker: a local process, or `mpf worker` over ssh.
  package var connect: @Sendable (RoleAssignment) async throws -> any Channel
  /// Makes it again after the connection was lost.
  package var reconnect: @Sendable (RoleAssignment) async throws -> any Channel
  /// Seconds to wait before each attempt to reconnect a lost worker.
  package var backoff: [Double] = [1, 2, 4]
  /// Called with every run once it is in the results file (the script's `on_run`); an error
  /// stops the experiment.
  package var onRun: (@Sendable (ResultRow) async throws -> Void)?

  /// Runs the whole experiment.
  ///
  /// - Returns: the dataframe of every run done.
  /// - Throws: `ScriptError` when the script fails on a worker or an `init` function fails,
  ///   `TransportError` when a worker goes away, `SystemError` when results cannot be written.
  /// - Parameter header: builds experiment.yaml's header from the machines' facts; it is
  ///   written once every worker has started.
  package func run(
    plan: RunPlan, results: ResultsDirectory, progress: ProgressReporter, header: @Sendable ([String: LuaValue]) -> YAMLNode
  ) async throws -> DataFrame {
    // Computed once, not on every run.
    let stages = experiment.stages
    let workerRoles = experiment.roles(in: cluster)
    var sessions = try await startSessions(workerRoles)
    var facts: [String: LuaValue] = [:]
    for (role, session) in sessions {
      if let machine = cluster.assignment(of: role)?.machine.displayName { facts[machine] = await session.facts }
    }
    do {
      try results.begin(header(facts))
    } catch {
      await shutdown(sessions)
      throw error
    }
    var rows: [ResultRow] = []
    let watcher = Task { [sessions] in await watchInterrupts(sessions, progress: progress) }
    defer { watcher.cancel() }
    do {
      try await runInitFunctions(sessions)
      let rolesValue = cluster.rolesValue
      var warned: Set<String> = []
      for planned in plan.runs {
        try Task.checkCancellation()
        if Interrupts.count > 0 { throw ExperimentStopped(reason: "Ctrl-C, after the run in progress") }
        let description = describe(planned)
        progress.starting(description)
        var row: ResultRow
        var attempts = 0
        while true {
          do {
            row = try await execute(
              planned, plan: plan, stages: stages, workerRoles: workerRoles, sessions: sessions, roles: rolesValue, results: results
            ) { warning in
              if warned.insert(warning).inserted { progress.message(warning) }
            }
            break
          } catch let lost as TransportError {
            // A worker's connection dropped: end the run elsewhere, bring the worker back, redo the run.
            guard Interrupts.count < 2, let role = lost.role, let assignment = cluster.assignment(of: role) else { throw lost }
            attempts += 1
            progress.message("mpf: \(lost); reconnecting")
            for (other, session) in sessions where other != role { _ = try? await session.endRun(planned.index) }
            if attempts <= 2, let session = await revive(assignment, progress: progress) {
              sessions[role] = session
              try await runInitFunctions(sessions, only: role)
              progress.message("mpf: \(assignment.machine.displayName) is back; redoing run \(planned.index)")
              continue
            }
            row = ResultRow(index: planned.index, repetition: planned.repetition, values: planned.values)
            row.start = Clock.wall()
            row.fail("\(lost.node): connection lost: \(lost.message)", status: .nodeLost)
            try results.append(run: ExperimentRecord.run(row, variables: experiment.variables))
            rows.append(row)
            throw ExperimentStopped(reason: "\(assignment.machine.displayName) (role \(role)) stayed unreachable; run \(planned.index) is node-lost")
          }
        }
        try results.append(run: ExperimentRecord.run(row, variables: experiment.variables))
        if row.status != .ok, let error = row.error {
          let verb = row.status == .timeout ? "timed out" : "failed"
          progress.message("run \(planned.index)\(description.isEmpty ? "" : " (\(description))") \(verb): \(error)")
        }
        progress.finished(description, status: row.status, duration: row.duration)
        rows.append(row)
        try await onRun?(row)
        if row.status != .ok, experiment.stopOnError {
          throw ExperimentStopped(reason: "run \(planned.index) ended \(row.status.rawValue) and on_error is 'stop'")
        }
      }
    } catch {
      await shutdown(sessions, results: results)
      throw PartialRunError(rows: rows, underlying: error)
    }
    await shutdown(sessions, results: results)
    return DataFrame(variables: experiment.variables, rows: rows)
  }

  private func describe(_ run: PlannedRun) -> String {
    let values = zip(experiment.variables, run.values).map { "\($0.name)=\($0.label(of: $1))" }
    return (values + (experiment.runCount > 1 ? ["#\(run.repetition)"] : [])).joined(separator: " ")
  }

  private func startSessions(_ roles: [String]) async throws -> [String: NodeSession] {
    try await withThrowingTaskGroup(of: NodeSession.self) { group in
      for role in roles {
        guard let assignment = cluster.assignment(of: role) else {
          throw ScriptError(.usage, "role '\(role)' has no machine in the cluster")
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
  private func revive(_ assignment: RoleAssignment, progress: ProgressReporter) async -> NodeSession? {
    for (attempt, delay) in backoff.enumerated() {
      try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
      if Interrupts.count >= 2 { return nil }
      do {
        return try await startSession(assignment, through: reconnect)
      } catch {
        progress.message("mpf: reconnecting \(assignment.machine.displayName), attempt \(attempt + 1) of \(backoff.count): \(error)")
      }
    }
    return nil
  }

  private func runInitFunctions(_ sessions: [String: NodeSession], only: String? = nil) async throws {
    for function in experiment.initFunctions {
      guard let role = function.fixedRole, only == nil || only == role, let session = sessions[role] else { continue }
      let context = LuaValue.record([
        "role": .string(role), "kind": .string("init"), "roles": cluster.rolesValue,
      ])
      let result = try await session.call(function, run: -1, context: context, values: .record([:]))
      if let error = result.error, error.kind == "timeout" {
        throw ScriptError(.runtime, "the init function of role '\(role)' timed out", at: function.location)
      }
      if let error = result.error { throw error.scriptError }
    }
  }

  /// One run: its stages in order, the calls within a stage concurrently (each after its delay).
  private func execute(
    _ planned: PlannedRun, plan: RunPlan, stages: [[RoleFunction]], workerRoles: [String], sessions: [String: NodeSession],
    roles: LuaValue, results: ResultsDirectory, warn: (String) -> Void
  ) async throws -> ResultRow {
    var row = ResultRow(index: planned.index, repetition: planned.repetition, values: planned.values)
    row.start = Clock.wall()
    let started = Clock.monotonic()
    var values = LuaTable()
    for (name, value) in plan.namedValues(of: planned) { values.fields[.string(name)] = value }
    var sections: [(title: String, log: [LogEntry])] = []
    var touched: Set<String> = []
    stages: for stage in stages {
      let calls = try stage.flatMap { try self.calls(of: $0, values: values) }
      let outcomes = try await withThrowingTaskGroup(of: (Int, CallResult).self) { group in
        for (position, call) in calls.enumerated() {
          guard let session = sessions[call.role] else { throw ScriptError(.usage, "role '\(call.role)' has no worker", at: call.function.location) }
          touched.insert(call.role)
          var context: [String: LuaValue] = [
            "role": .string(call.role), "run": .integer(Int64(planned.index)),
            "repetition": .integer(Int64(planned.repetition)), "kind": .string("run"), "roles": roles,
          ]
          if let interface = call.interface { context["interface"] = interface.luaValue }
          let function = call.function
          group.addTask { [values, context] in
            if function.delay > 0 { try await Task.sleep(for: .milliseconds(Int64(function.delay * 1000))) }
            var result = try await session.call(function, run: planned.index, context: .record(context), values: .table(values))
            var log = result.log
            for attempt in stride(from: 1, through: function.retries, by: 1) {
              guard let error = result.error else { break }
              let message = error.file == nil ? "\(function.location): \(error.message)" : error.scriptError.locatedMessage
              log.append(.print("-- attempt \(attempt) failed: \(message); retrying (\(attempt) of \(function.retries))"))
              result = try await session.call(function, run: planned.index, context: .record(context), values: .table(values))
              log += result.log
            }
            result.log = log
            return (position, result)
          }
        }
        var outcomes: [(Int, CallResult)] = []
        for try await outcome in group { outcomes.append(outcome) }
        return outcomes.sorted { $0.0 < $1.0 }
      }
      for (position, outcome) in outcomes {
        let call = calls[position]
        sections.append(("run \(planned.index), role \(call.role), function at \(call.function.location)", outcome.log))
        for case .warning(let text) in outcome.log { warn(text) }
        if let error = outcome.error {
          if error.kind == "timeout" {
            row.fail("\(call.function.location): \(error.message)", status: .timeout)
          } else {
            row.fail(error.scriptError.locatedMessage)
          }
          continue
        }
        do {
          if case .table(let table) = outcome.results { try row.merge(table, from: call.function) }
        } catch let error as ScriptError {
          row.fail(error.locatedMessage)
        }
      }
      if row.status != .ok { break stages }
    }
    for role in workerRoles where touched.contains(role) {
      guard let session = sessions[role] else { continue }
      let ended = try await session.endRun(planned.index)
      sections.append(("run \(planned.index), role \(role), background commands", ended.log))
      row.files += try results.store(ended.files, under: "runs/\(planned.index)/\(role)")
    }
    if let text = ExperimentRecord.logText(sections: sections) {
      // A log that cannot be written (disk full) must not cost the run's results: record the
      // run without it; the append of the run itself then decides whether to stop.
      do {
        row.log = try results.writeLog(named: "run-\(String(planned.index).zeroPadded(to: 4)).log", text)
      } catch {
        warn("mpf: the log of run \(planned.index) was not written: \(error)")
      }
    }
    row.duration = Clock.monotonic() - started
    return row
  }

  /// Says what a first Ctrl-C does; on a second one closes every worker's stream, which ends
  /// their commands and processes and makes the calls in flight fail at once.
  private func watchInterrupts(_ sessions: [String: NodeSession], progress: ProgressReporter) async {
    var told = false
    while !Task.isCancelled {
      let count = Interrupts.count
      if count == 1, !told {
        told = true
        progress.message("mpf: Ctrl-C: finishing the run in progress, then stopping (Ctrl-C again to stop now)")
      }
      if count >= 2 {
        progress.message("mpf: Ctrl-C again: stopping now; the run in progress is not recorded")
        await withTaskGroup(of: Void.self) { group in
          for session in sessions.values { group.addTask { await session.abort() } }
        }
        return
      }
      try? await Task.sleep(for: .milliseconds(50))
    }
  }

  /// One call of a function in a run: on which role, and for a link function which interface.
  private struct Call {
    var function: RoleFunction
    var role: String
    var interface: Interface?
  }

  private func calls(of function: RoleFunction, values: LuaTable) throws -> [Call] {
    switch function.target {
    case .role(let role):
      return [Call(function: function, role: role)]
    case .roleVariable(let name):
      guard let role = values.fields[.string(name)]?.stringValue else {
        throw ScriptError(.usage, "variable '\(name)' names the role but has no role name in this run", at: function.location)
      }
      return [Call(function: function, role: role)]
    case .link(let link):
      return cluster.assignments.flatMap { assignment in
        assignment.interfaces.filter { $0.link == link }.map { Call(function: function, role: assignment.role, interface: $0) }
      }
    }
  }

  /// Shuts every worker down; with `results`, keeps their `mpf.md('exp')` files in `exp/<role>/`.
  private func shutdown(_ sessions: [String: NodeSession], results: ResultsDirectory? = nil) async {
    let files = await withTaskGroup(of: (String, [WorkerFile]).self) { group in
      for (role, session) in sessions { group.addTask { (role, await session.shutdown()) } }
      var files: [(String, [WorkerFile])] = []
      for await item in group { files.append(item) }
      return files
    }
    for (role, roleFiles) in files where !roleFiles.isEmpty {
      _ = try? results?.store(roleFiles, under: "exp/\(role)")
    }
  }
}

/// The experiment was stopped on purpose (on_error = 'stop', Ctrl-C); it can be resumed.
package struct ExperimentStopped: Error, CustomStringConvertible {
  package var reason: String
  /// Stopped by Ctrl-C (the command exits with 130, as shells do).
  package var byInterrupt: Bool { reason.hasPrefix("Ctrl-C") }
  package var description: String { "stopped: \(reason)" }
}

/// An experiment that stopped early: the runs done so far (all already in the results file).
package struct PartialRunError: Error {
  package var rows: [ResultRow]
  package var underlying: any Error
}

extension ScriptError {
  /// `file:line: message`, as stored in a failed run's `error`.
  package var locatedMessage: String { location.map { "\($0): \(message)" } ?? message }
}
