internal import MPFCore
internal import MPFResults
internal import MPFGraphs
package import MPFReport
internal import MPFScript
package import MPFCluster
internal import MPFSystem
internal import MPFText
internal import MPFYAML

/// `mpf bisect`: the first commit between a good and a bad ref that moved a result. Each probe is
/// the experiment with the version variable pinned to one commit (`--pin`), stored as an
/// experiment of its own and found again by a later bisect of the same script, which reuses it
/// (or resumes it when it was cut short). `Bisection` chooses the commits, `ProbeJudge` says
/// which end each is like.
package final class BisectRun {
  package struct Options: Sendable {
    /// The script, cluster, arguments, `--n-runs` and `--out` every probe runs with.
    package var run: RunOptions
    package var variable: String
    package var good: String
    package var bad: String
    package var result: String
    package var direction: Comparison.Direction?

    package init(run: RunOptions, variable: String, good: String, bad: String, result: String, direction: Comparison.Direction?) {
      (self.run, self.variable, self.good, self.bad, self.result, self.direction) = (run, variable, good, bad, result, direction)
    }
  }

  /// What one commit measured.
  package struct Probe: Sendable {
    package var commit: GitMirror.Commit
    package var verdict: Bisection.Verdict
    /// Its experiment's directory (nil when it did not run at all).
    package var directory: String?
    /// The result's values over its ok runs, all points together (what the table shows).
    package var values: [Double] = []
    /// How many points `values` pools (the other variables' combinations).
    package var points = 1
    /// Found stored from an earlier bisect rather than run now.
    package var reused = false
    /// Why it was skipped.
    package var note: String?
  }

  package struct Report: Sendable {
    package var commits: [GitMirror.Commit]
    package var probes: [Probe]
    package var outcome: Bisection.Outcome
    package var unit: String?
    /// The graph of the probes, when some were measured.
    package var figure: String?
    /// Why the graph could not be drawn (the answer stands without it).
    package var figureProblem: String?
  }

  let options: Options
  /// Where progress lines go (stdout, from the CLI).
  private let say: (String) -> Void
  private var experiment: Experiment?
  /// The stored probes of this script, by commit.
  private var stored: [String: String] = [:]
  private var good: [String: [Double]] = [:]
  /// `Interrupts.mark` as the bisect began: a signal after it stops the bisect.
  private var signals = 0
  var points: [ProbeJudge.Point] = []
  var unit: String?

  package init(_ options: Options, say: @escaping (String) -> Void) {
    (self.options, self.say) = (options, say)
  }

  /// Measures both ends, then bisects.
  ///
  /// - Throws: `Diagnostic` for a script, variable, ref or result that cannot be bisected, and
  ///   what running an end threw.
  package func run() throws -> Report {
    // Between probes too (no experiment's handler then), a signal is taken, not left to end
    // mpf unsaid: `stop(for:)` finds it after the probe, whichever handler took it.
    signals = Interrupts.mark
    Interrupts.forward { kind in
      if kind == .terminate { Interrupts.endWithin(20, status: ExitStatus.terminated.rawValue) }
    }
    defer { Interrupts.restore() }
    let (url, experiment) = try softwareURL()
    self.experiment = experiment
    let mirror = try GitMirror.update(url)
    let good = try GitMirror.commit(options.good, in: mirror, url: url)
    let bad = try GitMirror.commit(options.bad, in: mirror, url: url)
    let commits = try GitMirror.firstParentHistory(in: mirror, from: good, to: bad)
    stored = storedProbes()
    // Both ends, then halving what lies between them.
    let expected = 2 + (commits.count > 2 ? Int(log2(Double(commits.count - 2)).rounded(.up)) + 1 : 0)
    say("mpf bisect: \(commits.count) commits from \(good.prefix(10)) (good) to \(bad.prefix(10)) (bad) on \(options.result); about \(expected) experiments")
    var probes: [Probe] = []
    let search = try Bisection.run(commits: commits.map(\.hash)) { hash in
      let commit = commits.first { $0.hash == hash }!
      let probe = try self.probe(commit, end: hash == good ? .good : hash == bad ? .bad : nil)
      probes.append(probe)
      say(line(probes.count, probe))
      if hash == bad, !points.isEmpty { say(change()) }
      return probe.verdict
    }
    var report = Report(commits: commits, probes: probes, outcome: search.outcome, unit: unit)
    do {
      report.figure = try drawn(report)
    } catch {
      report.figureProblem = "cannot draw the graph: \(ErrorReport(error).message)"
    }
    return report
  }

  // MARK: - The script and its history

  /// The git url of the software whose ref names the variable, and the experiment as declared.
  private func softwareURL() throws -> (String, Experiment) {
    let run = options.run
    let found = ScriptCheck.examine(scriptPath: run.scriptPath, clusterPath: run.clusterPath, arguments: run.arguments)
    guard found.problems.isEmpty, let report = found.report else {
      throw ScriptProblems(lines: found.problems)
    }
    let experiment = try ExperimentSpec.experiment(
      from: report.spec, scriptPath: run.scriptPath, scriptSource: found.source, arguments: run.arguments, defaultRuns: run.runCount,
      defaultSeed: run.seed)
    guard experiment.variables.contains(where: { $0.name == options.variable }) else {
      throw Diagnostic(.usage, "--variable \(options.variable): \(run.scriptPath) declares no such variable (variables: \(experiment.variables.map(\.name).joined(separator: ", ")))")
    }
    for software in experiment.software {
      guard case .git(let url, let ref) = software.source, Software.namesReferenced(ref).contains(options.variable) else { continue }
      // Each probe pins the variable to a commit: the ref must be that commit, nothing around it.
      guard ref == "$" + options.variable || ref == "${\(options.variable)}" else {
        throw Diagnostic(
          .usage, "--variable \(options.variable): mpf.software '\(software.name)' has git ref '\(ref)'; mpf bisect pins \(options.variable) to a commit, so the ref must be '$\(options.variable)' alone",
          at: software.location)
      }
      guard experiment.runCount >= 2 else {
        throw Diagnostic(
          .usage, "mpf bisect needs at least 2 runs of each point to tell a change from noise (the script's n_runs or -n is \(experiment.runCount)): give -n 3 or more")
      }
      return (url, experiment)
    }
    throw Diagnostic(
      .usage, "--variable \(options.variable): no mpf.software of \(run.scriptPath) has it in its git ref",
      notes: ["declare the code under test as mpf.software{git = {url = ..., ref = '$\(options.variable)'}, ...}"])
  }

  /// The experiments under `--out` that are probes of this script (same script and modules,
  /// arguments and n_runs, the variable pinned alone), newest last, by commit.
  private func storedProbes() -> [String: String] {
    guard let experiment else { return [:] }
    let hash = SHA256.hex(experiment.sourceForHash.utf8)
    let parent = options.run.outputParent
    guard let folder = try? Directory.open(parent) else { return [:] }
    // Measured on the same machines: the same cluster file, or none.
    let cluster = options.run.clusterPath.flatMap { try? FileSystem.read($0) }
    var found: [(commit: String, started: Double, directory: String)] = []
    for name in (try? FileSystem.directoryEntries(parent)) ?? [] {
      // A link planted among the experiments is not one of them: never followed, never written.
      guard folder.status(of: name)?.kind == .directory else { continue }
      let directory = FileSystem.join(parent, name)
      guard let probe = try? StoredExperiment.load(directory, headerOnly: true), probe.record["script"]?["sha256"]?.string == hash,
        probe.arguments == experiment.arguments, probe.runCount == experiment.runCount, probe.pins.count == 1,
        let commit = probe.pins[options.variable], probe.clusterCopy.flatMap({ try? FileSystem.read($0) }) == cluster
      else { continue }
      found.append((commit, probe.started, directory))
    }
    var latest: [String: String] = [:]
    for probe in found.sorted(by: { $0.started < $1.started }) { latest[probe.commit] = probe.directory }
    return latest
  }

  // MARK: - Probes

  enum End { case good, bad }

  /// Measures `commit` (or finds it stored) and judges it.
  private func probe(_ commit: GitMirror.Commit, end: End?) throws -> Probe {
    if let stop = stop(for: nil) { throw BisectStopped(stop, commit: commit.hash) }
    var probe = Probe(commit: commit, verdict: .skipped)
    do {
      (probe.directory, probe.reused) = try measure(commit.hash)
    } catch {
      // A stop (Ctrl-C, SIGTERM, a machine lost) stops the bisect, and says nothing of the
      // commit; an end that cannot be measured leaves nothing to bisect against.
      if let stop = stop(for: error) { throw BisectStopped(stop, commit: commit.hash) }
      if let end { throw endFailed(end, commit, ErrorReport(error).message) }
      probe.note = firstLine(ErrorReport(error).message)
      return probe
    }
    if let stop = stop(for: nil) { throw BisectStopped(stop, commit: commit.hash) }
    guard let directory = probe.directory else { return probe }
    let experiment = try StoredExperiment.loadSayingSkipped(directory)
    let samples = Comparison.samples(experiment, options.result, ignoring: [options.variable])
    probe.values = samples.order.flatMap { samples.values[$0] ?? [] }
    probe.points = max(samples.order.count, 1)
    if end == .good { try checkResult(experiment) }
    if end != nil, probe.values.isEmpty {
      throw endFailed(end!, commit, "no ok run measured a finite \(options.result)")
    }
    switch end {
    case .good:
      good = samples.values
      probe.verdict = .good
    case .bad:
      points = samples.order.compactMap { name in
        guard let before = good[name], let after = samples.values[name] else { return nil }
        return ProbeJudge.Point(name: name, good: Comparison.Sample(values: before), bad: Comparison.Sample(values: after))
      }
      points = ProbeJudge.differing(points)
      probe.verdict = points.isEmpty ? .good : .bad
    case nil:
      probe.verdict = probe.values.isEmpty ? .skipped : ProbeJudge.verdict(of: samples.values.mapValues(Comparison.Sample.init), at: points)
      if probe.values.isEmpty { probe.note = "no ok run measured \(options.result)" }
    }
    return probe
  }

  /// Why an end cannot serve, and what to do.
  private func endFailed(_ end: End, _ commit: GitMirror.Commit, _ why: String) -> Diagnostic {
    let name = end == .good ? "good" : "bad"
    return Diagnostic(
      .usage, "the \(name) end \(commit.hash.prefix(10)) (\(TerminalText.escaped(String(commit.subject.prefix(60))))) cannot be measured: \(why)",
      notes: ["give --\(name) a commit that builds and measures \(options.result)"])
  }

  /// What stops the bisect after a probe that threw `error` (nil: it ended): the error when it
  /// is a stop, else a signal received since the bisect began, whichever handler took it (one
  /// that came as a probe ended, after its experiment's last look, or a build it made fail).
  private func stop(for error: (any Error)?) -> (any Error)? {
    if let error, Self.stopsTheBisect(error) { return error }
    guard let kind = Interrupts.received(since: signals) else { return nil }
    return ExperimentStopped(kind == .terminate ? .terminated : .interruptedBeforeRunning, abandoned: "no other probe was started")
  }

  /// Whether `error` stops the bisect rather than skipping the commit: the one place that says
  /// which failures are the commit's doing. Only those skip it: a build that failed or ran past
  /// its timeout, the script raising an error, a run failed under `on_error = 'stop'`. All else
  /// is a stop: Ctrl-C, SIGTERM, a machine unreachable or lost, a probe another mpf is writing,
  /// a disk or results error.
  package static func stopsTheBisect(_ error: any Error) -> Bool {
    switch error {
    case let diagnostic as Diagnostic:
      if let host = diagnostic.hostError { return stopsTheBisect(host) }
      switch diagnostic.kind {
      // The script (its syntax, its errors, its use of mpf) or the commit's build.
      case .syntax, .runtime, .usage, .timeout: return false
      // A file, the cluster file, the stored results, a machine: not the commit's.
      case .io, .cluster, .results, .machine: return true
      }
    case is LuaRaise: return false
    case let stopped as ExperimentStopped:
      if case .runFailed = stopped.reason { return false }
      return true
    default:
      // A machine that cannot be reached, a file that cannot be written: not the commit's doing.
      return true
    }
  }

  /// The result must be a numeric result the good end measured.
  private func checkResult(_ experiment: StoredExperiment) throws {
    let table = experiment.dataFrame.table
    let results = FigureBuilder.numericResults(of: table)
    guard results.contains(options.result) else {
      throw Diagnostic(
        .usage, "--on \(options.result): '\(options.result)' is not a numeric result of the good end's experiment \(experiment.directory)"
          + " (its numeric results: \(results.isEmpty ? "none" : results.joined(separator: ", ")))")
    }
    unit = table.column(named: options.result)?.unit
  }

  /// The experiment of `commit`: stored and whole (reused), stored and cut short (resumed), or
  /// run now with the variable pinned.
  private func measure(_ commit: String) throws -> (String?, Bool) {
    if let directory = stored[commit] {
      // Another mpf (a bisect on the same --out) is measuring it now: not for this one to judge.
      if ExperimentLock.isHeld(in: directory) {
        throw Diagnostic(
          .results, "\(directory), the probe of \(commit.prefix(10)), is being written by another mpf",
          notes: ["wait for the other mpf to end, or give another --out"])
      }
      // The trailer says whether it ended whole: the header alone does not.
      if try StoredExperiment.load(directory).status == "completed" { return (directory, true) }
      let run = options.run
      let resumed = try ExperimentRunner.resumeOptions(
        for: directory, clusterPath: run.clusterPath, arguments: [], runCount: nil, retryFailed: false, verbose: run.verbose, quiet: run.quiet)
      _ = try ExperimentRunner(options: resumed).run()
      return (directory, false)
    }
    var run = options.run
    run.pins = [options.variable: commit]
    run.label = "\(options.variable)=\(commit.prefix(10))"
    let outcome = try ExperimentRunner(options: run).run()
    return (outcome.resultDirectories.first, false)
  }
}
