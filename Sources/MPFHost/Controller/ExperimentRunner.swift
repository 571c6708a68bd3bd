#if canImport(Glibc)
  internal import Glibc
#endif
package import MPFCore
internal import MPFResults
internal import MPFScript
internal import MPFCluster
internal import MPFWorker

/// Runs an experiment script on the controller: loads it, and when it calls
/// `mpf.run_experiment`, runs the experiment on the workers and hands the dataframe back.
///
/// The script's Lua state lives on the calling thread, which must not be one of Swift's
/// cooperative threads (the CLI calls this from the main thread): it blocks while the async
/// orchestrator runs.
package final class ExperimentRunner {
  private let options: RunOptions
  private var dataframes: [DataFrame] = []
  private var outcome = RunOutcome()
  private let shell = Shell()
  private var cluster: Cluster?
  private var script: ExperimentScript?
  /// An error that stopped the experiment (cluster, ssh, worker): reported as itself once the
  /// script has unwound, rather than as a Lua error at the `mpf.run_experiment` line.
  private var fatal: (any Error)?

  package init(options: RunOptions) { self.options = options }

  /// `--resume NAME`: a directory holding experiment.yaml, or an id under `parent`.
  package static func experimentDirectory(named name: String, under parent: String) -> String {
    FileSystem.exists(FileSystem.join(name, "experiment.yaml")) ? name : FileSystem.join(parent, name)
  }

  /// The options that resume the experiment in `directory`: its script (at its original path
  /// when it is still there, else the copy beside the results), arguments and cluster.
  ///
  /// - Throws: `ScriptError` when the directory holds no readable experiment.
  package static func resumeOptions(
    for directory: String, clusterPath: String?, arguments: [String], runCount: Int?, retryFailed: Bool, verbose: Bool,
    quiet: Bool
  ) throws -> RunOptions {
    let stored = try StoredExperiment.load(directory, headerOnly: true)
    let script = FileSystem.exists(stored.scriptPath) ? stored.scriptPath : stored.scriptCopy
    var options = RunOptions(
      scriptPath: script, clusterPath: clusterPath ?? stored.clusterCopy, arguments: arguments.isEmpty ? stored.arguments : arguments,
      runCount: runCount, outputParent: FileSystem.dirname(directory), verbose: verbose, quiet: quiet)
    options.resume = directory
    options.retryFailed = retryFailed
    return options
  }

  /// Runs the script to its end.
  ///
  /// - Throws: `ScriptError` (with the user's file:line), `ClusterSpecError`, `TransportError`,
  ///   `SystemError`.
  package func run() throws -> RunOutcome {
    defer { shell.endAll() }
    // A wrong cluster file is refused before the script runs and anything connects.
    cluster = try options.clusterPath.map(ClusterSpec.load)
    let source: String
    do {
      source = try FileSystem.readString(options.scriptPath)
    } catch {
      throw ScriptError(.io, "cannot read the script: \(error)", notes: ["usage: mpf SCRIPT.lua [-- ARGS]"])
    }
    var primitives = ScriptPrimitives(exec: { [shell] command, background, location in
      (background ? shell.start(command, location: location) : shell.run(command, location: location)).luaValue
    })
    primitives.runExperiment = { [unowned self] spec in try self.runExperiment(spec, source: source) }
    primitives.dataframeFormat = { [unowned self] handle in try self.dataframe(handle).formatted() }
    primitives.dataframeWrite = { [unowned self] handle, format, path in
      let frame = try self.dataframe(handle)
      let text: String
      switch format {
      case "csv": text = frame.csv()
      case "json": text = frame.json()
      default: throw LuaRaise("unknown format '\(format)'")
      }
      do {
        try FileSystem.writeAtomically(path, Array(text.utf8))
      } catch {
        throw LuaRaise("cannot write \(path): \(error)")
      }
    }
    let script = try ExperimentScript(mode: .controller, arguments: options.arguments, primitives: primitives)
    self.script = script
    do {
      try script.runAsController(path: options.scriptPath, source: source)
    } catch {
      if let fatal { throw fatal }
      throw error
    }
    return outcome
  }

  private func dataframe(_ handle: Int) throws -> DataFrame {
    guard dataframes.indices.contains(handle) else { throw LuaRaise("not a dataframe") }
    return dataframes[handle]
  }

  /// `mpf.run_experiment`: the experiment itself, from the Lua thread.
  private func runExperiment(_ spec: LuaValue, source: String) throws -> LuaValue {
    var experiment = try ExperimentSpec.experiment(
      from: spec, scriptPath: options.scriptPath, scriptSource: source, arguments: options.arguments,
      defaultRuns: options.runCount, defaultSeed: options.seed)
    let cluster = self.cluster ?? Cluster.local(roles: experiment.roles)
    do {
      try ClusterSpec.check(cluster, covers: experiment)
    } catch {
      fatal = error
      throw LuaRaise("mpf.run_experiment: the cluster lacks a role")
    }
    let started = Clock.wall()
    let stored: StoredExperiment?
    do {
      stored = try options.resume.map { try StoredExperiment.load($0) }
    } catch {
      fatal = error
      throw LuaRaise("mpf.run_experiment: cannot resume")
    }
    if let stored {
      // Same seed, same order: only what is missing runs.
      experiment.seed = stored.seed
      experiment.runCount = options.runCount ?? stored.runCount
    }
    let plan = RunPlan(variables: experiment.variables, runCount: experiment.runCount, seed: experiment.seed)
    let previous = stored.map { resumable(from: $0, plan: plan) } ?? (rows: [], done: [])
    var remaining = plan
    remaining.runs = plan.runs.filter { !previous.done.contains(RunKey(values: $0.values, repetition: $0.repetition)) }
    let results: ResultsDirectory
    let connector: WorkerConnector
    do {
      if let stored {
        results = try ResultsDirectory(resuming: stored)
      } else {
        results = try ResultsDirectory(
          parent: options.outputParent, scriptPath: options.scriptPath, scriptSource: source, clusterPath: cluster.file)
      }
      connector = try WorkerConnector(cluster: cluster)
    } catch {
      throw LuaRaise("mpf.run_experiment: cannot write the results directory: \(error)")
    }
    defer { connector.close() }
    let git = gitState(of: FileSystem.dirname(options.scriptPath))
    let (id, firstStart, resumes) = (results.id, stored?.started ?? started, (stored?.resumed ?? []) + (stored == nil ? [] : [started]))
    let experimentNow = experiment
    let header = { @Sendable (facts: [String: LuaValue]) in
      ExperimentRecord.header(
        experiment: experimentNow, cluster: cluster, id: id, plan: plan, started: firstStart, resumed: resumes, facts: facts, git: git)
    }
    outcome.resultDirectories.append(results.path)
    let progress = ProgressReporter(total: remaining.runs.count, quiet: options.quiet)
    var orchestrator = Orchestrator(
      experiment: experiment, cluster: cluster, connect: { try await connector.connect($0) },
      reconnect: { try await connector.reconnect($0) })
    // on_run: each finished run is handed to this (the Lua) thread, which calls the script's
    // function and answers; the orchestrator waits for the answer before the next run.
    let events = Handoff<RunnerEvent>()
    if spec["on_run"] == .boolean(true) {
      orchestrator.onRun = { row in
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
          events.put(.row(row, done))
        }
      }
    }
    var delivered = previous.rows
    // The dataframe on_run sees lives in one slot, replaced run after run (not one per run).
    let liveHandle = dataframes.count
    dataframes.append(DataFrame(variables: experiment.variables, rows: []))
    let frame: DataFrame
    var failure: (any Error)?
    do {
      let toRun = remaining
      Interrupts.catchInterrupts()
      defer { Interrupts.restore() }
      let toOrchestrate = orchestrator
      let new = try waitFor(events: events) { row in
        delivered.append(row)
        let frame = DataFrame(variables: experiment.variables, rows: delivered)
        self.dataframes[liveHandle] = frame
        var rowValue = frame.rowValue(row)
        if case .table(var table) = rowValue {
          table.fields[.string("_status")] = .string(row.status.rawValue)
          rowValue = .table(table)
        }
        try self.script?.deliver(frame.luaValue(handle: liveHandle), rowValue)
      } body: {
        try await toOrchestrate.run(plan: toRun, results: results, progress: progress, header: header)
      }
      frame = DataFrame(variables: experiment.variables, rows: previous.rows + new.rows)
    } catch let partial as PartialRunError {
      frame = DataFrame(variables: experiment.variables, rows: previous.rows + partial.rows)
      failure = partial.underlying
    } catch {
      // The workers could not start (ssh refused, script failed on a node): no run was done.
      frame = DataFrame(variables: experiment.variables, rows: previous.rows)
      failure = error
    }
    if failure != nil, Interrupts.count >= 2 {
      failure = ExperimentStopped(reason: "Ctrl-C twice; the run in progress was abandoned")
    }
    let status = failure == nil ? "completed" : "stopped"
    if !results.hasBegun { try? results.begin(header([:])) }
    try? results.finish(
      ExperimentRecord.trailer(finished: Clock.wall(), status: status, completed: frame.rows.count, failed: frame.failedCount))
    outcome.failedRuns += frame.failedCount
    outcome.totalRuns += plan.runs.count
    if let failure {
      progress.message(
        "mpf: experiment stopped after \(frame.rows.count) of \(plan.runs.count) runs; results so far: \(results.path)"
          + " (mpf resume \(results.path) continues it)")
      fatal = failure
      throw LuaRaise("mpf.run_experiment: the experiment stopped")
    }
    if !options.quiet {
      let failed = frame.failedCount > 0 ? ", \(frame.failedCount) failed" : ""
      progress.message(
        "mpf: \(remaining.runs.count) runs\(failed) in \(NumberText.formatNumber(Clock.wall() - started)) s; results: \(results.path)")
    }
    dataframes.append(frame)
    return frame.luaValue(handle: dataframes.count - 1)
  }
}

extension ExperimentRunner {
  /// The stored runs that stay (and the keys not to run again), and what changed, said once.
  fileprivate func resumable(from stored: StoredExperiment, plan: RunPlan) -> (rows: [ResultRow], done: Set<RunKey>) {
    let planned = Set(plan.runs.map { RunKey(values: $0.values, repetition: $0.repetition) })
    let storedNames = stored.variables.map(\.name)
    // Stored rows hold values in the stored variable order; put them in the script's order.
    let rows = stored.rows.compactMap { row -> ResultRow? in
      var row = row
      let byName = Dictionary(zip(storedNames, row.values), uniquingKeysWith: { first, _ in first })
      row.values = plan.variables.map { byName[$0.name] ?? .nil }
      return row
    }
    // A node-lost run measured nothing: it always runs again.
    let kept = rows.filter { options.retryFailed ? $0.status == .ok : $0.status != .nodeLost }
    let done = Set(kept.map { RunKey(values: $0.values, repetition: $0.repetition) })
    let removed = Set(rows.map { RunKey(values: $0.values, repetition: $0.repetition) }).subtracting(planned).count
    let todo = planned.subtracting(done).count
    // New runs: in the script's plan now, not in the plan the experiment started with.
    let original = RunPlan(variables: stored.variables, runCount: stored.runCount, seed: stored.seed)
    let originalKeys = Set(original.runs.map { run -> RunKey in
      let byName = Dictionary(zip(storedNames, run.values), uniquingKeysWith: { first, _ in first })
      return RunKey(values: plan.variables.map { byName[$0.name] ?? .nil }, repetition: run.repetition)
    })
    let new = planned.subtracting(originalKeys).count
    var notes: [String] = []
    if removed > 0 { notes.append("\(removed) stored runs are no longer in the script's plan: kept as they are") }
    if new > 0 { notes.append("\(new) runs are new: the script's variables or n_runs changed since the experiment started") }
    let message = "mpf: resuming \(stored.id): \(planned.count - todo) of \(planned.count) runs done, \(todo) to run"
    FileSystem.writeStderr(([message] + notes.map { "mpf: " + $0 }).joined(separator: "\n") + "\n")
    return (kept, done)
  }
}

extension ExperimentRunner {
  /// `{commit, dirty}` when `folder` is in a git checkout (and git is installed), else nil.
  fileprivate func gitState(of folder: String) -> LuaValue {
    let quoted = "'" + folder.replacingAll("'", with: "'\\''") + "'"
    let commit = shell.run("git -C \(quoted) rev-parse HEAD 2>/dev/null", location: "mpf")
    guard commit.exitCode == 0, let hash = commit.stdout.lines().first, !hash.isEmpty else { return .nil }
    let status = shell.run("git -C \(quoted) status --porcelain --untracked-files=no 2>/dev/null", location: "mpf")
    return .record(["commit": .string(hash), "dirty": .boolean(!status.stdout.trimmed().isEmpty)])
  }
}

/// What the orchestrator hands to the Lua thread while an experiment runs.
package enum RunnerEvent: Sendable {
  /// A finished run for `on_run`; resume the continuation once the script has seen it.
  case row(ResultRow, CheckedContinuation<Void, any Error>)
  case finished
}

/// Runs async work to completion from a thread outside Swift's cooperative pool.
package func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
  try waitFor(events: Handoff<RunnerEvent>(), handle: { _ in }, body: body)
}

/// Runs async work to completion from this (non-cooperative) thread, handling the rows it
/// hands over with `handle` on this thread meanwhile; an error from `handle` is given back to
/// the work, which stops.
package func waitFor<T: Sendable>(
  events: Handoff<RunnerEvent>, handle: (ResultRow) throws -> Void, body: @escaping @Sendable () async throws -> T
) throws -> T {
  let result = Handoff<Result<T, any Error>>()
  Task {
    do {
      result.put(.success(try await body()))
    } catch {
      result.put(.failure(error))
    }
    events.put(.finished)
  }
  while case .row(let row, let done) = events.take() {
    do {
      try handle(row)
      done.resume()
    } catch {
      done.resume(throwing: error)
    }
  }
  return try result.take().get()
}
