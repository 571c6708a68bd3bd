internal import MPFCore
internal import MPFYAML
internal import MPFResults
internal import MPFCluster
internal import MPFReport
import MPFSystem
import MPFText

/// One `mpf.run_experiment`: prepared (the plan, what a resume leaves of it, the results
/// directory, the workers' connector), run (the orchestrator, with `on_run` handed to the Lua
/// thread), finished (the trailer, what the user reads).
final class ExperimentSession {
  let experiment: Experiment
  let plan: RunPlan
  let results: ResultsDirectory
  let progress: ProgressReporter
  private let options: RunOptions
  private let cluster: Cluster
  private let connector: WorkerConnector
  private let stored: StoredExperiment?
  /// A resumed experiment's stored runs, in the script's variable order.
  private let storedRuns: RunRecords?
  private let previous: RunRecords
  private let remaining: RunList
  private let started = Clock.wall()
  /// mpf.search: its runs, and the script's verdict on each (set by the runner's `on_run` hand-over).
  private var search: SearchRuns?
  let verdicts: SearchVerdicts
  /// A stop asked while the last run was in progress: the experiment ended whole, and the
  /// command stops after it all the same (`mpf bisect` does not go on to its next probe).
  private(set) var stopAskedAtTheEnd: ExperimentStopped?
  private let git: LuaValue

  /// Prepares the experiment `experiment` declares: nothing runs and no worker starts yet.
  ///
  /// - Throws: `Diagnostic` (a role the cluster lacks, an experiment that cannot be resumed),
  ///   `SystemError` (the results directory cannot be written), `TransportError`.
  init(_ experiment: Experiment, options: RunOptions, cluster: Cluster?, git: LuaValue) throws {
    var experiment = experiment
    let cluster = cluster ?? Cluster.local(roles: experiment.roles)
    try ClusterSpec.check(cluster, covers: experiment)
    let stored = try options.resume.map { try StoredExperiment.loadSayingSkipped($0) }
    if let stored {
      // Same seed, same order: only what is missing runs.
      experiment.seed = stored.seed
      experiment.runCount = options.runCount ?? stored.runCount
    }
    let verdicts = SearchVerdicts()
    (plan, search) = try Self.plan(of: experiment, resuming: stored != nil, options: options, verdicts: verdicts)
    self.verdicts = verdicts
    if let stored {
      let point = ResumePoint(stored: stored, plan: plan, retryFailed: options.retryFailed, adaptive: experiment.adaptive != nil)
      FileSystem.writeStderr(TerminalText.escaped(point.messages(id: stored.id).joined(separator: "\n"), keepingLines: true) + "\n")
      (previous, remaining, storedRuns) = (point.kept, point.remaining, point.stored)
      results = try ResultsDirectory(resuming: stored)
    } else {
      (previous, remaining, storedRuns) = (RunRecords(), plan.runs, nil)
      results = try Self.newResults(of: experiment, options: options, cluster: cluster)
    }
    connector = try WorkerConnector(cluster: cluster)
    progress = ProgressReporter(total: remaining.count, quiet: options.quiet)
    if let rule = experiment.adaptive, experiment.runCount > 0 {
      // Adaptive repetitions: the bar also shows the most runs the rule may take.
      progress.maximum = plan.runs.count / experiment.runCount * rule.max - previous.count
    }
    (self.experiment, self.options, self.cluster, self.stored, self.git) = (experiment, options, cluster, stored, git)
  }

  /// The runs of `experiment`, and with mpf.search the search that holds them: its plan is
  /// the first round of probes, the search deciding the next ones as it goes.
  private static func plan(
    of experiment: Experiment, resuming: Bool, options: RunOptions, verdicts: SearchVerdicts
  ) throws -> (RunPlan, SearchRuns?) {
    var plan = RunPlan(variables: experiment.variables, points: experiment.points, runCount: experiment.runCount, seed: experiment.seed, groupedBy: experiment.buildVariables)
    plan.pointsDigest = experiment.pointCounts?.digest
    guard let searched = experiment.search, let column = experiment.variables.firstIndex(where: { $0.name == searched }) else {
      return (plan, nil)
    }
    guard !resuming else {
      throw Diagnostic(.usage, "an experiment with mpf.search cannot be resumed yet: run it again (its runs so far stay in \(options.resume ?? ""))")
    }
    var seen = Set<[LuaValue]>()
    let combinations = (experiment.points ?? RunPlan.product(of: experiment.variables)).compactMap { point -> [LuaValue]? in
      var key = point
      key[column] = experiment.variables[column].values.first ?? .nil
      return seen.insert(key).inserted ? key : nil
    }
    let search = SearchRuns(variables: experiment.variables, column: column, combinations: combinations, seed: experiment.seed, verdicts: verdicts)
    plan.runs = RunList(search.firstRound)
    return (plan, search)
  }

  /// Whether `mpf resume` can go on with the experiment: not a replay that deployed software,
  /// whose sources were in the bundle's private copy, gone when the replay ended.
  static func resumable(_ experiment: Experiment) -> Bool {
    experiment.replayOf == nil || experiment.software.isEmpty
  }

  /// A new experiment's results directory, with the script's modules and, from mpf repl, what
  /// was typed at the prompt (which the workers replayed after the script).
  private static func newResults(of experiment: Experiment, options: RunOptions, cluster: Cluster) throws -> ResultsDirectory {
    let results = try ResultsDirectory(
      parent: options.outputParent, scriptPath: options.scriptPath, scriptSource: experiment.scriptSource, clusterPath: cluster.file)
    // The modules are named as the results record them (`Experiment.nameSourcesAsRecorded`).
    try results.copy(modules: experiment.modules, scriptPath: experiment.recordedScriptPath ?? options.scriptPath)
    if let replay = experiment.replay {
      try results.write(file: "prompt.lua", text: replay.map { $0 + "\n" }.joined())
    }
    return results
  }

  deinit { connector.close() }

  /// Runs what is to run; `deliver` is called on this thread with each run as it is recorded
  /// (the script's `on_run`), and the experiment stops if it throws.
  ///
  /// - Returns: every row (stored ones of a resume first) and what stopped the experiment early.
  ///
  /// - Parameter interruptScript: called on every Ctrl-C or SIGTERM too, so that the script's
  ///   Lua code running in `deliver` (a loop in `on_run`) is stopped as well.
  func run(
    onRun deliver: ((ResultRow, RunsSoFar) throws -> Void)?, interruptScript: (@Sendable (Interrupts.Kind) -> Void)? = nil
  ) -> (rows: RunRecords, failure: (any Error)?) {
    let events = Handoff<RunnerEvent>()
    // on_run: each recorded run is handed to this (the Lua) thread, which calls the script's
    // function and answers; the orchestrator waits for the answer before the next run.
    let handOver: @Sendable (ResultRow) async throws -> Void = { row in
      try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
        events.put(.row(row, done))
      }
    }
    let observer = ResultsObserver(
      results: results, progress: progress, variables: experiment.variables, header: header,
      onRun: deliver == nil ? nil : handOver, verbose: options.verbose)
    var orchestrator = Orchestrator(
      experiment: experiment, cluster: cluster, connect: { [connector] in try await connector.connect($0) },
      reconnect: { [connector] in try await connector.reconnect($0) })
    orchestrator.experimentID = results.id
    if let counts = experiment.pointCounts, !options.quiet { progress.message("mpf: " + counts.summary) }
    if !experiment.software.isEmpty {
      let deployer = Deployer(
        experiment: experiment, cluster: cluster, connector: connector,
        progress: { [progress, quiet = options.quiet] in if !quiet { progress.message("mpf: " + $0) } },
        // The path a failure names: the experiment's folder with it, so it can be opened as said.
        writeLog: { [results] machine, text in
          FileSystem.join(results.path, try results.writeLog(named: "deploy-\(machine.replacingAll("/", with: "_")).log", text))
        })
      orchestrator.deploy = { cluster, only in try await deployer.deploy(on: cluster, only: only) }
    }
    let configured = orchestrator
    let stop = orchestrator.stop
    Interrupts.forward { [connector] kind in
      if kind == .terminate {
        stop.terminate()
        Interrupts.endWithin(20, status: ExitStatus.terminated.rawValue)
      } else {
        stop.escalate()
      }
      // Stopping now: a deployment's command in progress (a build) ends, with its processes.
      if stop.level == .now { connector.endCommands() }
      interruptScript?(kind)
    }
    defer { Interrupts.restore() }
    let delivered = RunsSoFar(previous)
    var rows = previous
    var failure: (any Error)?
    do {
      let source: any RunSource =
        search
        ?? experiment.adaptive.map { rule in
          AdaptiveRuns(rule: rule, plan: plan, remaining: remaining, previous: previous, seed: experiment.seed)
        } ?? PlannedRuns(remaining)
      rows += try waitFor(events: events) { row in
        delivered.append(row)
        try deliver?(row, delivered)
      } body: {
        try await configured.run(source, observer: observer)
      }
    } catch let partial as PartialRunError {
      rows += partial.rows
      failure = partial.underlying
    } catch {
      // The workers could not start (ssh refused, script failed on a node): no run was done.
      failure = error
    }
    if failure != nil, stop.level == .now {
      failure = ExperimentStopped(stop.wasTerminated ? .terminated : .interruptedNow, abandoned: (failure as? DeployStopped)?.description)
    }
    finish(rows: rows, failure: failure, progress: progress)
    // Asked after finishing too: a Ctrl-C while experiment.yaml and the report were written
    // (this handler still takes it) stops the script as one in the last run does.
    if failure == nil, stop.level > .none { stopAskedAtTheEnd = ExperimentStopped(stop.wasTerminated ? .terminated : .interruptedAfterRun) }
    return (rows, failure)
  }

  /// Ends the experiment before it started (an `mpf.before` function failed): experiment.yaml
  /// says so, with the reason.
  func abandon(because error: any Error) {
    finish(rows: previous, failure: error, progress: ProgressReporter(total: 0, quiet: true))
  }

  /// experiment.yaml's header, from the machines' facts.
  private var header: @Sendable ([String: LuaValue], LuaValue) -> YAMLNode {
    let (experiment, cluster, id, plan, git) = (experiment, cluster, results.id, plan, git)
    let firstStart = stored?.started ?? started
    let resumes = (stored?.resumed ?? []) + (stored == nil ? [] : [started])
    return { facts, software in
      // The machines given no interface are recorded with the address they were given.
      ExperimentRecord.header(
        experiment: experiment, cluster: cluster.givingAddresses(from: facts), id: id, plan: plan, started: firstStart, resumed: resumes, facts: facts, git: git,
        software: software)
    }
  }

  /// mpf.search: for each combination of the other variables, the highest value of the searched
  /// one whose run was good enough (null when none was), and how many probes it took.
  private func searchResults(_ searched: String, rows: RunRecords) -> YAMLNode {
    guard let column = experiment.variables.firstIndex(where: { $0.name == searched }) else { return .null }
    var order: [[LuaValue]] = []
    var found: [[LuaValue]: (best: LuaValue?, probes: Int)] = [:]
    for row in rows {
      var key = row.values
      key[column] = .nil
      if found[key] == nil { order.append(key) }
      var state = found[key] ?? (nil, 0)
      state.probes += 1
      if verdicts.verdict(row.index) == true, (row.values[column].doubleValue ?? -.infinity) > (state.best?.doubleValue ?? -.infinity) {
        state.best = row.values[column]
      }
      found[key] = state
    }
    // In the variables' order (first variable slowest), as tables show them.
    let positions = experiment.variables.map { variable in
      Dictionary(variable.values.enumerated().map { (ValueKey($1), $0) }, uniquingKeysWith: { first, _ in first })
    }
    let rank = { (key: [LuaValue]) in key.enumerated().map { positions[$0.offset][ValueKey($0.element)] ?? -1 } }
    order.sort { rank($0).lexicographicallyPrecedes(rank($1)) }
    return .sequence(order.map { key in
      let state = found[key] ?? (nil, 0)
      let others = zip(experiment.variables, key).enumerated().filter { $0.offset != column }.map { ($0.element.0.name, YAMLNode.value($0.element.1)) }
      return .mapping([("values", .mapping(others, flow: true)), ("highest_ok", state.best.map(YAMLNode.value) ?? .null), ("probes", .int(state.probes))], flow: true)
    })
  }

  /// Adaptive repetitions: for each point, its runs, the relative half-width of the 95%
  /// interval of the watched result, and why it stopped (`converged`, `max`, or `stopped` when
  /// the experiment ended first).
  private func pointsStopped(_ rule: AdaptiveRule, rows: RunRecords) -> YAMLNode {
    .sequence(AdaptiveRuns.tallies(rows, on: rule.on).map { values, tally in
      var pairs: [(key: String, value: YAMLNode)] = [
        ("values", .mapping(zip(experiment.variables, values).map { ($0.name, YAMLNode.value($1)) }, flow: true)),
        ("runs", .int(tally.attempts)),
      ]
      if let width = tally.relativeHalfWidth { pairs.append(("ci", .number((width * 10000).rounded() / 10000))) }
      pairs.append(("reason", .string(tally.stop(rule) ?? "stopped")))
      return .mapping(pairs, flow: true)
    })
  }

  /// Draws the graphs and report.html from what was stored. Drawing never costs a result: a
  /// failure is a warning, and `mpf report DIR` draws them again.
  ///
  /// - Parameter rows: the runs the file holds, as this session has them: drawn from memory
  ///   rather than read back.
  private func drawReport(progress: ProgressReporter, rows: RunRecords) {
    do {
      try ReportPage(StoredExperiment.load(results.path, given: (experiment.variables, rows))).write()
    } catch {
      progress.message("mpf: warning: could not draw the report of \(results.path): \(ErrorReport(error).message) (mpf report \(results.path) tries again)")
    }
  }

  /// Writes the trailer (the header too, when no worker ever started) and tells the user.
  private func finish(rows: RunRecords, failure: (any Error)?, progress: ProgressReporter) {
    let failed = rows.failedCount
    if !results.hasBegun { try? results.begin(header([:], .nil)) }
    let reason = failure.map { ErrorReport($0).message }
    try? results.finish(
      ExperimentRecord.trailer(
        finished: Clock.wall(), status: failure == nil ? "completed" : "stopped", completed: rows.count, failed: failed, reason: reason,
        points: experiment.adaptive.map { pointsStopped($0, rows: rows) }, search: experiment.search.map { searchResults($0, rows: rows) }))
    // The runs experiment.yaml now holds, from memory: this session's, after a resumed
    // experiment's stored ones (a run done again keeps its first place and its last entry).
    let held = storedRuns.map { stored in
      var entries = stored
      entries += rows.gathering(Array(previous.count..<rows.count))
      return StoredExperiment.lastOfEachRun(entries)
    }
    drawReport(progress: progress, rows: held ?? rows)
    if failure != nil {
      progress.message(
        "mpf: experiment stopped after \(rows.count) of \(plan.runs.count) runs; results so far: \(results.path)"
          + (Self.resumable(experiment) ? " (mpf resume \(results.path) continues it)" : " (replay its bundle again to measure it whole)"))
    } else if !options.quiet {
      let failedText = failed > 0 ? ", \(failed) failed" : ""
      progress.message(
        "mpf: \(rows.count - previous.count) runs\(failedText) in \(NumberText.formatNumber(Clock.wall() - started)) s; results: \(results.path)")
    }
  }
}
