internal import MPFCore
internal import MPFResults
internal import MPFYAML
package import MPFScript
internal import MPFCluster
internal import MPFWorker
import Synchronization
import MPFSystem
import MPFText

/// Runs an experiment script on the controller: loads it, and when it calls
/// `mpf.run_experiment`, runs the experiment (an `ExperimentSession`) and hands the dataframe
/// back to the script.
///
/// The script's Lua state lives on the calling thread, which must not be one of Swift's
/// cooperative threads (the CLI calls this from the main thread): it blocks while the async
/// orchestrator runs.
package final class ExperimentRunner {
  private let options: RunOptions
  private var outcome = RunOutcome()
  /// Runs the controller's own `ex` commands; not a subreaper (see `Shell`).
  private let shell = Shell(adoptsOrphans: false)
  private var cluster: Cluster?
  private var script: ExperimentScript?
  /// The progress bar of the experiment running now: the script's prints go above it.
  private var progress: ProgressReporter?
  /// `mpf repl`: the chunks typed at the prompt that ran, which workers replay (nil for a script).
  private var replay: [String]?
  /// `mpf repl`: the chunk running now (workers `mpf.on` reaches replay it too).
  private var currentChunk: String?
  /// `mpf repl`: the workers `mpf.on` started, kept between commands.
  private var promptWorkers: PromptWorkers?

  /// Ctrl-C and SIGTERM for the script's own Lua code (a loop at its top level or in `on_run`).
  private let interrupter = ScriptInterrupter()

  /// The controller outlives its terminal: with SIGPIPE ignored, a reader that goes away
  /// (`mpf exp.lua | head`) makes writes to it fail, which are dropped, and the experiment goes
  /// on and ends recorded (SIGPIPE killed it, leaving no status). Commands it runs get the
  /// default action back (posix_spawn resets it).
  package init(options: RunOptions) {
    self.options = options
    try? Signal.ignore(.pipe)
  }

  /// Runs the script to its end.
  ///
  /// - Throws: `Diagnostic` (with the user's file:line), `TransportError`, `SystemError`,
  ///   `ExperimentStopped`: a host error raised through the script comes back as itself.
  package func run() throws -> RunOutcome {
    defer { shell.endAll() }
    // A wrong cluster file is refused before the script runs and anything connects.
    cluster = try options.clusterPath.map(ClusterSpec.load)
    let source: String
    do {
      source = try ExperimentScript.readSource(options.scriptPath)
    } catch {
      throw Diagnostic(.io, "cannot read the script: \(error)", notes: ["usage: mpf SCRIPT.lua [-- ARGS]"])
    }
    let script = try ExperimentScript(mode: .controller, arguments: options.arguments, primitives: primitives(source: source), pins: options.pins, storedModules: options.storedModules)
    self.script = script
    interrupter.attach(script, shell: shell)
    // Ctrl-C stops the script's Lua code too: once, it raises `interrupted` where the code is
    // (an ex command ends); twice, or when the code is blocked in a C call, mpf ends now.
    let interrupter = self.interrupter
    Interrupts.forward { kind in interrupter.signal(kind, always: true) }
    defer { Interrupts.restore() }
    do {
      try script.runAsController(path: options.scriptPath, source: source)
    } catch {
      let error = error.hostError ?? error
      if let stop = interrupter.stop(for: error) { throw stop }
      throw error
    }
    return outcome
  }

  /// Opens the script for `mpf repl`: the script file, when there is one, runs up to its
  /// `mpf.run_experiment` (which the prompt then runs); chunks typed at the prompt go to
  /// `evaluate`.
  ///
  /// - Returns: the line of the script's `mpf.run_experiment`, nil when it has none (or no script).
  package func openInteractive() throws -> Int? {
    cluster = try options.clusterPath.map(ClusterSpec.load)
    let hasScript = FileSystem.exists(options.scriptPath)
    let source: String
    do {
      source = hasScript ? try ExperimentScript.readSource(options.scriptPath) : ""
    } catch {
      throw Diagnostic(.io, "cannot read the script: \(error)", notes: ["usage: mpf repl [SCRIPT.lua] [-- ARGS]"])
    }
    replay = []
    // The controller's own commands show their output as it comes, as the workers' do.
    shell.onLine = { line, isError in LiveOutput.write(line, from: nil, isError: isError) }
    promptWorkers = PromptWorkers(cluster: cluster, scriptPath: options.scriptPath, scriptSource: source, arguments: options.arguments)
    var primitives = primitives(source: source)
    primitives.on = { [unowned self] role, index in
      guard let workers = self.promptWorkers else { throw LuaRaise("mpf.on is for mpf repl") }
      return try workers.call(
        role: role, function: index, chunks: self.replay ?? [], current: self.currentChunk, declaredRoles: self.declaredRoles())
    }
    let script = try ExperimentScript(mode: .controller, arguments: options.arguments, primitives: primitives, interactive: true, pins: options.pins)
    self.script = script
    guard hasScript else { return nil }
    do {
      return try script.runInteractively(path: options.scriptPath, source: source)
    } catch {
      throw error.hostError ?? error
    }
  }

  /// Evaluates a chunk typed at `mpf repl`'s prompt; one that ran is kept for the workers of
  /// the experiments that follow.
  package func evaluate(_ text: String) throws -> ExperimentScript.Evaluation {
    guard let script else { throw Diagnostic(.runtime, "mpf repl: no script state") }
    shell.clearInterrupt()
    currentChunk = text
    defer { currentChunk = nil }
    let evaluation = try script.evaluate(text)
    switch evaluation {
    case .ran(_, let ran), .failed(_, .some(let ran)): replay?.append(ran)
    default: break
    }
    return evaluation
  }

  /// How the value the last chunk ended with shows beyond text (`mpf repl --machine`).
  package func display() -> (kind: String, payload: String)? { script?.display() }

  /// The completions of a word at the prompt.
  package func completions(of word: String) -> [String] { script?.completions(of: word) ?? [] }

  /// Ctrl-C at the prompt while a chunk runs (any thread): the Lua code raises `interrupted`,
  /// the controller's command running now ends, and so does a worker `mpf.on` waits for (it
  /// starts again on the next use).
  package func interrupt() {
    script?.interrupt()
    shell.interrupt()
    promptWorkers?.interrupt()
  }

  /// Ends the controller's own commands and the workers `mpf.on` started (`mpf repl` leaving).
  package func close() {
    shell.endAll()
    promptWorkers?.close()
  }

  /// The roles the script declared functions for (where `mpf.on('*', ...)` goes without -c).
  private func declaredRoles() -> [String] { script?.declaredRoles() ?? [] }

  private func primitives(source: String) -> ScriptPrimitives {
    var primitives = ScriptPrimitives(exec: { [shell] command, background, location in
      (background ? shell.start(command, location: location) : shell.run(command, location: location)).luaValue
    })
    primitives.runExperiment = { [unowned self] (spec: consuming LuaValue) in try self.runExperiment(consume spec, source: source) }
    primitives.log = { [unowned self] text in
      if let progress = self.progress { progress.printAbove(text) } else { FileSystem.writeStdout(TerminalText.escaped(text, keepingLines: true) + "\n") }
    }
    primitives.load = { [options] name in
      let directory = ExperimentRunner.experimentDirectory(named: name, under: options.outputParent)
      let stored: StoredExperiment
      do {
        stored = try StoredExperiment.loadSayingSkipped(directory)
      } catch {
        throw LuaRaise("mpf.load: \(error)")
      }
      var frame = stored.dataFrame
      (frame.directory, frame.id, frame.name) = (directory, stored.id, Experiment.name(ofScript: stored.scriptPath))
      return frame.table.object
    }
    primitives.dataframe = { operation, object, arguments in
      if operation == "len", let lazy = object.value as? LazyTable { return .integer(Int64(lazy.count)) }
      guard let table = object.dataframe else { throw LuaRaise("expects a dataframe") }
      return try table.answer(operation, arguments)
    }
    return primitives
  }

  /// `mpf.run_experiment`: the experiment itself, from the Lua thread. Errors that stop it
  /// (cluster, resume, results, ssh, a stop) are thrown as themselves: Lua raises them at the
  /// script's line, and `run` gives them back.
  private func runExperiment(_ spec: consuming LuaValue, source: String) throws -> LuaValue {
    let (experiment, onRun) = try self.experiment(from: spec, source: source)
    try options.expected?.checkSources(of: experiment)
    let session = try ExperimentSession(
      experiment, options: options, cluster: cluster,
      // A replay's script comes from its bundle: the original's folder here says nothing of it.
      git: options.replayOf == nil ? gitState(of: FileSystem.dirname(options.recordedScriptPath ?? options.scriptPath)) : .nil)
    for difference in options.expected?.planDifferences(experiment, plan: session.plan) ?? [] {
      FileSystem.writeStderr(TerminalText.escaped("mpf: warning: the replay's plan is not the original's: \(difference)") + "\n")
    }
    outcome.resultDirectories.append(session.results.path)
    do {
      try script?.prepare(
        .record(["experiment": .record(["id": .string(session.results.id), "dir": .string(session.results.path)])]))
    } catch {
      session.abandon(because: error)
      throw error
    }
    let deliver = onRun || experiment.search != nil ? deliverer(of: experiment, session: session) : nil
    progress = session.progress
    LiveOutput.showAbove(session.progress)
    defer { LiveOutput.showAbove(nil) }
    let interrupter = self.interrupter
    let (rows, failure) = session.run(
      onRun: deliver.map { deliver in
        { row, rows in
          interrupter.delivering(true)
          defer { interrupter.delivering(false) }
          try deliver(row, rows)
        }
      }, interruptScript: { kind in interrupter.signal(kind, always: false) })
    progress = nil
    outcome.failedRuns += rows.failedCount
    outcome.totalRuns += session.plan.runs.count
    var stopped: String?
    if let failure = failure as? ExperimentStopped, case .runFailed = failure.reason {
      // on_error = 'stop' is the script's own choice: it gets the dataframe, and why it stopped.
      stopped = failure.description
    } else if let failure {
      throw failure
    }
    // Ctrl-C in the last run: the experiment ended whole, and the script stops here as asked.
    if let asked = session.stopAskedAtTheEnd { throw asked }
    // The dataframe's table, only its own columns put in point order (a sorted copy of every
    // column of the runs beside them was 4 MB at 100 000 runs).
    var table = DataFrame.sortedTable(variables: experiment.variables, rows: rows)
    (table.directory, table.id, table.name, table.stopped) = (session.results.path, session.results.id, Experiment.name(ofScript: options.scriptPath), stopped)
    return table.object
  }

  /// The experiment run_experiment's description declares, with what this command adds (the
  /// original's script path and bundle for a resume or replay, a label, mpf repl's chunks), and
  /// whether the script has on_run. The description is let go of once read: the experiment
  /// holds what it needs (its values as columns).
  private func experiment(from spec: consuming LuaValue, source: String) throws -> (Experiment, onRun: Bool) {
    var experiment = try ExperimentSpec.experiment(
      from: spec, scriptPath: options.scriptPath, scriptSource: source, arguments: options.arguments,
      defaultRuns: options.runCount, defaultSeed: options.seed, originalScriptPath: options.recordedScriptPath,
      bundled: options.bundledSoftware)
    let onRun = spec["on_run"] == .boolean(true)
    _ = consume spec
    experiment.recordedScriptPath = options.recordedScriptPath
    experiment.nameSourcesAsRecorded()
    experiment.replayOf = options.replayOf
    if let label = options.label { experiment.label = label }
    // The chunk running now too: a cell that declares functions and runs the experiment.
    experiment.replay = replay.map { $0 + (currentChunk.map { [$0] } ?? []) }
    return (experiment, onRun)
  }

  /// What hands each recorded run to the script's on_run (the runs so far as a dataframe, made
  /// only if the script looks at it, and the new row), and keeps mpf.search's verdict on it.
  private func deliverer(of experiment: Experiment, session: ExperimentSession) -> (ResultRow, RunsSoFar) throws -> Void {
    let verdicts = session.verdicts
    let (variables, directory, id) = (experiment.variables, session.results.path, session.results.id)
    let searching = experiment.search != nil
    return { [unowned self] row, runs in
      let count = runs.count
      let frame = LazyTable(count: count) {
        var frame = DataFrame(variables: variables, rows: runs.prefix(count))
        (frame.directory, frame.id) = (directory, id)
        return frame.table
      }
      let said = try self.script?.deliver(
        .object(LuaObject(typeName: ExperimentScript.dataframeType, value: frame)),
        DataFrame(variables: variables, rows: RunRecords([row]), sorting: false).table.row(0))
      // mpf.search's verdict on this run (a failed run is never good enough).
      if searching { verdicts.set(said == .boolean(true) && row.status == .ok, run: row.index) }
    }
  }

  /// `{commit, dirty}` when `folder` is in a git checkout (and git is installed), else nil.
  private func gitState(of folder: String) -> LuaValue {
    let quoted = ShellQuote.quote(folder)
    // mpf's own commands: not the script's output to show.
    let shown = shell.onLine
    shell.onLine = nil
    defer { shell.onLine = shown }
    let commit = shell.run("git -C \(quoted) rev-parse HEAD 2>/dev/null", location: "mpf")
    guard commit.exitCode == 0, let hash = commit.stdout.lines().first, !hash.isEmpty else { return .nil }
    let status = shell.run("git -C \(quoted) status --porcelain --untracked-files=no 2>/dev/null", location: "mpf")
    return .record(["commit": .string(hash), "dirty": .boolean(!status.stdout.trimmed().isEmpty)])
  }
}

/// What the orchestrator hands to the Lua thread while an experiment runs.
enum RunnerEvent: Sendable {
  /// A finished run for `on_run`; resume the continuation once the script has seen it.
  case row(ResultRow, CheckedContinuation<Void, any Error>)
  case finished
}

/// Runs async work to completion from a thread outside Swift's cooperative pool.
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
  try waitFor(events: Handoff<RunnerEvent>(), handle: { _ in }, body: body)
}

/// Runs async work to completion from this (non-cooperative) thread, handling the rows it
/// hands over with `handle` on this thread meanwhile; an error from `handle` is given back to
/// the work, which stops.
func waitFor<T: Sendable>(
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
