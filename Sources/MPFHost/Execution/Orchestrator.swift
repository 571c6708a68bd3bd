package import MPFCore
package import MPFCluster
import Synchronization
package import MPFSystem
package import MPFText

/// Drives an experiment: starts a worker on each machine of each role, runs the `init` functions, then every run
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
  /// before the init functions, on the cluster's machines (or only on the ones given: a spare
  /// that takes a place); nil when it declares none.
  package var deploy: (@Sendable (_ cluster: Cluster, _ only: [Machine]?) async throws -> Deployment)?

  package init(
    experiment: Experiment, cluster: Cluster, connect: @escaping @Sendable (RoleAssignment) async throws -> any Channel,
    reconnect: @escaping @Sendable (RoleAssignment) async throws -> any Channel
  ) {
    self.experiment = experiment
    self.cluster = cluster
    self.connect = connect
    self.reconnect = reconnect
  }

  /// What changes as the experiment goes: the cluster (a spare takes a lost machine's place),
  /// the workers' sessions by worker name, the deployment, and the executor made from them.
  private struct Workers {
    var cluster: Cluster
    /// The sessions as the stop watcher (another task) sees them: kept current when a worker
    /// is revived or a spare takes a lost machine's place, so a second Ctrl-C ends these.
    let board = SessionBoard()
    var sessions: [String: NodeSession] = [:] {
      didSet { board.set(sessions) }
    }
    var deployment = Deployment()
    /// Workers now on another machine than at the start: worker name → machine.
    var moved: [String: String] = [:]
    /// Counts the changes of the cluster: workers get `ctx.roles` again after one.
    var changes = 0
    /// Made from the above, again when they change.
    var executor: RunExecutor?
  }

  /// Runs the experiment: every run `source` gives.
  ///
  /// - Returns: the rows of every run done.
  /// - Throws: `Diagnostic` when the script fails on a worker or an `init` function fails,
  ///   `TransportError` when a worker cannot start; once runs have started, `PartialRunError`
  ///   with the rows done and what stopped them (`ExperimentStopped`, an observer's error).
  package func run(_ source: some RunSource, observer: some RunObserver) async throws -> RunRecords {
    var source = source
    var workers = Workers(cluster: cluster)
    let roles = experiment.roles(in: cluster)
    workers.sessions = try await startSessions(cluster.workers.filter { roles.contains($0.role) })
    var facts: [String: LuaValue] = [:]
    for (name, session) in workers.sessions {
      guard let assignment = cluster.assignment(named: name) else { continue }
      let known = await session.facts
      facts[assignment.machine.displayName] = known
      Self.giveAddress(known, of: assignment, in: &workers.cluster)
    }
    do {
      if let deploy {
        workers.deployment = try await deploy(cluster, nil)
        try observer.started(facts: facts, software: workers.deployment.record(experiment.software))
      } else {
        try observer.started(facts: facts)
      }
    } catch {
      await shutdown(workers.sessions)
      throw error
    }
    var rows = RunRecords()
    rows.reserveCapacity(source.remaining)
    workers.board.set(workers.sessions)
    let watcher = Task { [board = workers.board] in await watchStop(board, observer: observer) }
    defer { watcher.cancel() }
    do {
      try await runInitFunctions(workers, observer: observer)
      var last: ResultRow?
      while let planned = source.next(after: last) {
        try Task.checkCancellation()
        if stop.level > .none { throw ExperimentStopped(.interruptedAfterRun) }
        let description = describe(planned)
        observer.starting(planned, description: description)
        var (row, lost) = try await execute(planned, workers: &workers, observer: observer)
        row.machines = workers.moved
        rows.append(row)
        try await observer.finished(row, description: description)
        if let lost {
          let assignment = workers.cluster.assignment(named: lost)
          let machine = assignment?.machine.displayName ?? lost
          throw ExperimentStopped(.machineLost(machine: machine, role: assignment?.role ?? lost, run: planned.index))
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
      await shutdown(workers.sessions, observer: observer)
      throw PartialRunError(rows: rows, underlying: error)
    }
    await shutdown(workers.sessions, observer: observer)
    return rows
  }

  /// A worker the cluster file gave no interface: `primary` at the address ssh reached it at
  /// (127.0.0.1 for a local one), so `ctx.roles.server.interfaces[1].ip` works.
  private static func giveAddress(_ facts: LuaValue, of assignment: RoleAssignment, in cluster: inout Cluster) {
    if let address = facts["address"].stringValue {
      cluster.giveAddress(address, to: assignment.name)
    } else if assignment.machine.isLocal {
      cluster.giveAddress("127.0.0.1", to: assignment.name)
    }
  }

  private func executor(for workers: inout Workers, observer: some RunObserver) -> RunExecutor {
    if let executor = workers.executor { return executor }
    var executor = RunExecutor(experiment: experiment, cluster: workers.cluster, experimentID: experimentID, observer: observer)
    executor.deployment = workers.deployment
    executor.rolesVersion = workers.changes
    workers.executor = executor
    return executor
  }

  /// One run; when a worker's connection drops, ends the run elsewhere, brings the worker back
  /// (or puts a spare of its role in its place) and redoes the run, or gives a node-lost row
  /// (and the lost worker) when neither works.
  private func execute(
    _ planned: PlannedRun, workers: inout Workers, observer: some RunObserver
  ) async throws -> (row: ResultRow, lost: String?) {
    var attempts = 0
    while true {
      do {
        return (try await executor(for: &workers, observer: observer).execute(planned, on: workers.sessions), nil)
      } catch let overran as WorkersEnded {
        // A function overran its timeout and its worker was ended: the run is recorded as a
        // timeout (never redone), and the worker is started again (or a spare takes its place)
        // for the next run.
        for name in overran.roles {
          guard let assignment = workers.cluster.assignment(named: name) else { continue }
          if let session = await revive(assignment, observer: observer) {
            workers.sessions[name] = session
            try await runInitFunctions(workers, only: name, observer: observer)
          } else if try await !replace(name, in: &workers, run: planned.index, observer: observer) {
            return (overran.row, name)
          }
        }
        return (overran.row, nil)
      } catch let lost as TransportError {
        guard stop.level < .now, let name = lost.role, let assignment = workers.cluster.assignment(named: name) else { throw lost }
        attempts += 1
        observer.message("mpf: \(lost); reconnecting")
        for (other, session) in workers.sessions where other != name { _ = try? await session.endRun(planned.index) }
        if attempts <= 2, let session = await revive(assignment, observer: observer) {
          workers.sessions[name] = session
          try await runInitFunctions(workers, only: name, observer: observer)
          observer.message("mpf: \(assignment.machine.displayName) is back; redoing run \(planned.index)")
          continue
        }
        if attempts <= 2 + workers.cluster.spares(of: assignment.role).count,
          try await replace(name, in: &workers, run: planned.index, observer: observer)
        {
          continue
        }
        var row = ResultRow(index: planned.index, repetition: planned.repetition, values: planned.values)
        row.start = Clock.wall()
        row.fail("\(lost.node): connection lost: \(lost.message)", status: .nodeLost)
        return (row, name)
      }
    }
  }

  /// Puts the first spare of the worker's role that starts in the lost machine's place: its
  /// worker, its software, its init functions. False when the role has no spare left.
  private func replace(_ name: String, in workers: inout Workers, run: Int, observer: some RunObserver) async throws -> Bool {
    guard let lost = workers.cluster.assignment(named: name) else { return false }
    while let spare = workers.cluster.spares(of: lost.role).first {
      var cluster = workers.cluster
      cluster.replace(name, with: spare)
      guard let taking = cluster.assignment(named: name) else { return false }
      observer.message("mpf: \(lost.machine.displayName) is lost: spare \(spare.machine.displayName) takes the place of \(name)")
      do {
        let session = try await startSession(taking, through: connect)
        Self.giveAddress(await session.facts, of: taking, in: &cluster)
        var deployment = workers.deployment
        if let deploy { deployment = deployment.adding(try await deploy(cluster, [taking.machine])) }
        workers.cluster = cluster
        workers.deployment = deployment
        workers.sessions[name] = session
        workers.moved[name] = taking.machine.displayName
        workers.changes += 1
        workers.executor = nil
        try await runInitFunctions(workers, only: name, observer: observer)
        observer.message("mpf: \(name) now runs on \(taking.machine.displayName); redoing run \(run)")
        return true
      } catch let error as TransportError {
        observer.message("mpf: spare \(spare.machine.displayName) cannot start: \(error)")
        // That spare is gone too: the next one, if any.
        workers.cluster.remove(spare.name)
        workers.executor = nil
      }
    }
    return false
  }

  private func describe(_ run: PlannedRun) -> String {
    // Labels are the script's text: escaped, they cannot drive the terminal.
    // A variable that does not apply to this point (`when`) is left out.
    let values = zip(experiment.variables, run.values).filter { $1 != .nil }.map { "\($0.name)=\($0.label(of: $1).escapingControlCharacters)" }
    return (values + (experiment.runCount > 1 ? ["#\(run.repetition)"] : [])).joined(separator: " ")
  }

  /// A worker on each of `assignments`, all at once.
  private func startSessions(_ assignments: [RoleAssignment]) async throws -> [String: NodeSession] {
    try await withThrowingTaskGroup(of: NodeSession.self) { group in
      for assignment in assignments {
        group.addTask { [connect] in try await startSession(assignment, through: connect) }
      }
      var sessions: [String: NodeSession] = [:]
      do {
        for try await session in group { sessions[session.name] = session }
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
    let session = NodeSession(role: assignment.role, name: assignment.name, channel: try await connect(assignment))
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

  /// Runs the `init` functions (of the worker `only` after a reconnection), each on every
  /// machine of its role at once; each one's commands, output and prints go to
  /// `logs/init-WORKER.log`, and its error stops the experiment.
  private func runInitFunctions(_ workers: Workers, only: String? = nil, observer: some RunObserver) async throws {
    for function in experiment.initFunctions {
      guard let role = function.fixedRole else { continue }
      let nodes = workers.cluster.nodes(of: role).filter { only == nil || only == $0.name }
      let calls = nodes.compactMap { node in workers.sessions[node.name].map { (node, $0) } }
      let results = try await withThrowingTaskGroup(of: (Int, CallResult).self) { group in
        for (position, (node, session)) in calls.enumerated() {
          var fields: [String: LuaValue] = [
            "role": .string(role), "node": node.nodeValue(count: nodes.count), "kind": .string("init"),
            "roles": workers.cluster.rolesValue, "experiment": .record(["id": .string(experimentID)]),
          ]
          if !experiment.software.isEmpty {
            fields["software"] = workers.deployment.context(
              on: node.machine.displayName, software: experiment.software, variables: experiment.variables, values: nil)
          }
          group.addTask { [fields] in (position, try await session.call(function, run: -1, context: .record(fields), values: .record([:]))) }
        }
        var results: [(Int, CallResult)] = []
        for try await result in group { results.append(result) }
        return results.sorted { $0.0 < $1.0 }.map(\.1)
      }
      for ((node, _), result) in zip(calls, results) {
        var log = result.log
        if let error = result.error { log.append(.print("error: \(error.diagnostic.verboseDescription)")) }
        let title = nodes.count > 1 ? "\(node.name) (\(node.machine.displayName))" : "role \(role)"
        if let text = RunLog.text(sections: [("init of \(title), function at \(function.location)", log)]) {
          do {
            _ = try observer.writeLog(named: "init-\(node.name)", text)
          } catch {
            observer.message("mpf: the log of the init function of \(node.name) was not written: \(error)")
          }
        }
      }
      for ((node, _), result) in zip(calls, results) {
        let which = nodes.count > 1 ? "\(node.name) (\(node.machine.displayName)) of role '\(role)'" : "role '\(role)'"
        if let error = result.error, error.kind == .timeout {
          throw Diagnostic(.timeout, "the init function of \(which) timed out", at: function.location)
        }
        if var error = result.error?.diagnostic {
          if nodes.count > 1 { error.notes.insert("on \(which)", at: 0) }
          throw error
        }
      }
    }
  }

  /// Says what a first Ctrl-C does; on a second one closes every worker's stream, which ends
  /// their commands and processes and makes the calls in flight fail at once.
  private func watchStop(_ board: SessionBoard, observer: some RunObserver) async {
    for await level in stop.changes {
      switch level {
      case .none: continue
      case .afterRun:
        observer.message("mpf: Ctrl-C: finishing the run in progress, then stopping (Ctrl-C again to stop now)")
      case .now:
        let why = stop.wasTerminated ? "told to end" : "Ctrl-C again"
        observer.message("mpf: \(why): stopping now; the run in progress is not recorded")
        await withTaskGroup(of: Void.self) { group in
          for session in board.sessions.values { group.addTask { await session.abort() } }
        }
        return
      }
    }
  }

  /// Shuts every worker down; with an observer, keeps their `mpf.md('exp')` files in `exp/<worker>/`.
  private func shutdown(_ sessions: [String: NodeSession], observer: (any RunObserver)? = nil) async {
    let files = await withTaskGroup(of: (String, [WorkerFile]).self) { group in
      for (name, session) in sessions { group.addTask { (name, await session.shutdown()) } }
      var files: [(String, [WorkerFile])] = []
      for await item in group { files.append(item) }
      return files
    }
    for (name, workerFiles) in files where !workerFiles.isEmpty {
      _ = try? observer?.store(workerFiles, under: "exp/\(name)")
    }
  }
}

/// An experiment that stopped early: the runs done so far (all already recorded).
package struct PartialRunError: Error {
  package var rows: RunRecords
  package var underlying: any Error
}

/// The workers' sessions now, shared with the task that watches for Ctrl-C.
final class SessionBoard: Sendable {
  private let current = Mutex<[String: NodeSession]>([:])

  var sessions: [String: NodeSession] { current.withLock { $0 } }

  func set(_ sessions: [String: NodeSession]) { current.withLock { $0 = sessions } }
}
