#if canImport(Glibc)
  internal import Glibc
#endif

/// Runs an experiment script on the controller: loads it, and when it calls
/// `mpf.run_experiment`, runs the experiment on the workers and hands the dataframe back.
///
/// The script's Lua state lives on the calling thread, which must not be one of Swift's
/// cooperative threads (the CLI calls this from the main thread): it blocks while the async
/// orchestrator runs.
public final class ExperimentRunner {
  private let options: RunOptions
  private var dataframes: [DataFrame] = []
  private var outcome = RunOutcome()
  private let shell = Shell()
  private var cluster: Cluster?
  /// An error that stopped the experiment (cluster, ssh, worker): reported as itself once the
  /// script has unwound, rather than as a Lua error at the `mpf.run_experiment` line.
  private var fatal: (any Error)?

  public init(options: RunOptions) { self.options = options }

  /// Runs the script to its end.
  ///
  /// - Throws: `ScriptError` (with the user's file:line), `ClusterSpecError`, `TransportError`,
  ///   `SystemError`.
  public func run() throws -> RunOutcome {
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
    let experiment = try ExperimentSpec.experiment(
      from: spec, scriptPath: options.scriptPath, scriptSource: source, arguments: options.arguments,
      defaultRuns: options.runCount, defaultSeed: options.seed)
    let cluster = self.cluster ?? Cluster.local(roles: experiment.roles)
    do {
      try ClusterSpec.check(cluster, covers: experiment)
    } catch {
      fatal = error
      throw LuaRaise("mpf.run_experiment: the cluster lacks a role")
    }
    let plan = RunPlan(variables: experiment.variables, runCount: experiment.runCount, seed: experiment.seed)
    let started = Clock.wall()
    let results: ResultsDirectory
    let connector: WorkerConnector
    do {
      results = try ResultsDirectory(
        parent: options.outputParent, scriptPath: options.scriptPath, scriptSource: source, clusterPath: cluster.file
      ) { id in
        ExperimentRecord.header(experiment: experiment, cluster: cluster, id: id, plannedRuns: plan.runs.count, started: started)
      }
      connector = try WorkerConnector(cluster: cluster)
    } catch {
      throw LuaRaise("mpf.run_experiment: cannot create the results directory: \(error)")
    }
    defer { connector.close() }
    outcome.resultDirectories.append(results.path)
    let progress = ProgressReporter(total: plan.runs.count, quiet: options.quiet)
    let orchestrator = Orchestrator(experiment: experiment, cluster: cluster) { assignment in
      try await connector.connect(assignment)
    }
    let frame: DataFrame
    var failure: (any Error)?
    do {
      frame = try waitFor { try await orchestrator.run(plan: plan, results: results, progress: progress) }
    } catch let partial as PartialRunError {
      frame = DataFrame(variables: experiment.variables, rows: partial.rows)
      failure = partial.underlying
    } catch {
      // The workers could not start (ssh refused, script failed on a node): no run was done.
      frame = DataFrame(variables: experiment.variables, rows: [])
      failure = error
    }
    let status = failure == nil ? "completed" : "stopped"
    try? results.finish(
      ExperimentRecord.trailer(finished: Clock.wall(), status: status, completed: frame.rows.count, failed: frame.failedCount))
    outcome.failedRuns += frame.failedCount
    outcome.totalRuns += plan.runs.count
    if let failure {
      progress.message("mpf: experiment stopped after \(frame.rows.count) of \(plan.runs.count) runs; results so far: \(results.path)")
      fatal = failure
      throw LuaRaise("mpf.run_experiment: the experiment stopped")
    }
    if !options.quiet {
      let failed = frame.failedCount > 0 ? ", \(frame.failedCount) failed" : ""
      progress.message("mpf: \(plan.runs.count) runs\(failed) in \(DataFrame.formatNumber(Clock.wall() - started)) s; results: \(results.path)")
    }
    dataframes.append(frame)
    return frame.luaValue(handle: dataframes.count - 1)
  }
}

/// Runs async work to completion from a thread outside Swift's cooperative pool.
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
  let handoff = Handoff<Result<T, any Error>>()
  Task {
    do {
      handoff.put(.success(try await body()))
    } catch {
      handoff.put(.failure(error))
    }
  }
  return try handoff.take().get()
}
