internal import MPFCore
internal import MPFResults
internal import MPFScript
internal import MPFCluster
import MPFSystem
import MPFText

/// `mpf plan SCRIPT`: what an experiment would do, without running anything or connecting
/// anywhere: its runs (how many, in which order), which function runs on which machine, and
/// how long it should take.
package enum ScriptPlan {
  /// - Parameters:
  ///   - shown: how many runs of the order to list (nil: all).
  ///   - experiments: the folder of stored experiments, where a previous one of the same script
  ///     gives the time a run takes.
  /// - Returns: the text to print, or the problems that stop the script (as `mpf check` says them).
  package static func run(
    scriptPath: String, clusterPath: String?, arguments: [String], runCount: Int?, seed: UInt64?, shown: Int?,
    experiments: String, pointsOut: String? = nil, pins: [String: String] = [:]
  ) -> Result<String, ScriptProblems> {
    // The script runs once, as mpf check runs it: its problems stop the plan.
    let found = ScriptCheck.examine(scriptPath: scriptPath, clusterPath: clusterPath, arguments: arguments, pins: pins)
    guard found.problems.isEmpty, let report = found.report else { return .failure(ScriptProblems(lines: found.problems)) }
    let (cluster, source) = (found.cluster, found.source)
    let experiment: Experiment
    do {
      experiment = try ExperimentSpec.experiment(
        from: report.spec, scriptPath: scriptPath, scriptSource: source, arguments: arguments, defaultRuns: runCount,
        defaultSeed: seed)
    } catch {
      return .failure(ScriptProblems(lines: [ErrorReport(error).message]))
    }
    let seedFixed = seed != nil || report.spec["seed"].intValue != nil
    let plan = RunPlan(variables: experiment.variables, points: experiment.points, runCount: experiment.runCount, seed: experiment.seed, groupedBy: experiment.buildVariables)
    let points = experiment.points?.count ?? experiment.variables.reduce(1) { $0 * $1.values.count }
    var out: String
    if let rule = experiment.adaptive {
      // Adaptive repetitions: the plan's first rounds, and the bound the rule may reach.
      out = "\(scriptPath): \(plan.runs.count) to \(points * rule.max) runs = \(points) point\(points == 1 ? "" : "s") × \(rule.min) to \(rule.max) repetitions"
        + " (until the 95% interval of \(rule.on) is within \(NumberText.formatNumber(rule.untilCI * 100))% of its mean)\n"
    } else {
      out = "\(scriptPath): \(plan.runs.count) run\(plan.runs.count == 1 ? "" : "s") = \(points) point\(points == 1 ? "" : "s") × \(experiment.runCount) repetition\(experiment.runCount == 1 ? "" : "s")\n"
    }
    if let counts = experiment.pointCounts { out += "  " + counts.summary + "\n" }
    if let pointsOut {
      // The points (what a design chose), in cartesian order, for `design = {file = ...}`.
      do {
        let points = experiment.points ?? RunPlan.product(of: experiment.variables)
        try FileSystem.writeAtomically(pointsOut, Array(PointsFile.text(points, variables: experiment.variables).utf8))
        out += "  points written to \(pointsOut)\n"
      } catch {
        return .failure(ScriptProblems(lines: ["mpf: cannot write \(pointsOut): \(error)"]))
      }
    }
    for variable in experiment.variables {
      out += "  \(variable.name): \(variable.labels.count) value\(variable.labels.count == 1 ? "" : "s") (\(variable.labels.prefix(8).map(\.escapingControlCharacters).joined(separator: ", "))\(variable.labels.count > 8 ? ", ..." : ""))\n"
    }
    // Where each function runs.
    let placement = cluster ?? Cluster.local(roles: experiment.roles)
    out += "functions\(cluster == nil ? " (no cluster file: every role on this machine)" : " (\(cluster?.file ?? ""))"):\n"
    for function in experiment.functions {
      let kind = function.kind == .once ? "init" : "run "
      let machine: String
      switch function.target {
      case .role(let role):
        let nodes = placement.nodes(of: role).map(\.machine.displayName)
        let spares = placement.spares(of: role).count
        let shown = nodes.count > 4 ? nodes.prefix(3).joined(separator: ", ") + ", ... (\(nodes.count) machines)" : nodes.joined(separator: ", ")
        machine = "\(role) on \(nodes.isEmpty ? "?" : shown)\(spares > 0 ? " (+\(spares) spare\(spares == 1 ? "" : "s"))" : "")"
      case .roleVariable(let variable): machine = "the role named by \(variable)"
      case .link(let link): machine = "both ends of link \(link)"
      }
      var extras: [String] = []
      if function.delay > 0 { extras.append("delay \(NumberText.formatNumber(function.delay)) s") }
      if function.parallel { extras.append("parallel") }
      if let timeout = function.timeout { extras.append("timeout \(NumberText.formatNumber(timeout)) s") }
      if function.retries > 0 { extras.append("\(function.retries) retries") }
      out += "  \(kind) \(machine)  \(function.location)\(extras.isEmpty ? "" : "  (" + extras.joined(separator: ", ") + ")")\n"
    }
    out += estimate(experiment, runs: plan.runs.count, experiments: experiments, scriptPath: scriptPath)
    // The order.
    let listed = shown.map { min($0, plan.runs.count) } ?? plan.runs.count
    out += "order\(seedFixed ? " (seed \(experiment.seed))" : " (seed \(experiment.seed), one of many: the script fixes none; --seed S fixes it)")"
    out += listed < plan.runs.count ? ", first \(listed) of \(plan.runs.count) (--all lists every run):\n" : ":\n"
    let width = String(plan.runs.count).count
    for run in plan.runs.prefix(listed) {
      let values = zip(experiment.variables, run.values).map { "\($0.name)=\($0.label(of: $1).escapingControlCharacters)" }
      out += "  " + String(run.index + 1).padded(to: width, alignRight: true) + "  " + (values + ["#\(run.repetition)"]).joined(separator: " ") + "\n"
    }
    return .success(out)
  }

  /// The time it should take: from the latest stored experiment of the same script when there
  /// is one (its mean run), else a lower bound from the functions' delays.
  static func estimate(_ experiment: Experiment, runs: Int, experiments: String, scriptPath: String) -> String {
    let stages = experiment.stages.map { stage in stage.filter { $0.kind == .run }.map(\.delay).max() ?? 0 }
    let floor = stages.reduce(0, +) * Double(runs)
    let sameScript = ExperimentList.entries(under: experiments).compactMap(\.experiment).filter {
      FileSystem.basename($0.scriptPath) == FileSystem.basename(scriptPath)
    }
    if let stored = sameScript.first {
      let durations = stored.rows.indices.filter { stored.rows.status(at: $0) == .ok }.map { stored.rows.duration(at: $0) }
      if !durations.isEmpty {
        let mean = durations.reduce(0, +) / Double(durations.count)
        return "estimated: about \(ProgressReporter.duration(mean * Double(runs))) (\(runs) runs × \(NumberText.formatNumber(mean, digits: 3)) s, the mean run of experiment \(stored.id))\n"
      }
    }
    return floor > 0
      ? "estimated: at least \(ProgressReporter.duration(floor)) (the functions' delays; no earlier experiment of this script under \(experiments))\n"
      : "estimated: no earlier experiment of this script under \(experiments) to time it by\n"
  }
}

/// Why a script cannot be planned (`mpf plan`) or bisected: its problems, each a whole line as
/// `mpf check` says it (`exp.lua:4: error: ...`).
package struct ScriptProblems: Error {
  package var lines: [String]
}
