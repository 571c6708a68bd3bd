package import MPFCore
package import MPFYAML
package import MPFSystem
package import MPFText
/// The YAML of experiment.yaml: its header, one entry per run, and its trailer.
/// docs/results-format.md describes every field.
package enum ExperimentRecord {
  /// 2: each run entry ends with `end: INDEX`, the trailer with `end: experiment`
  /// (ExperimentText). Files of format 1 are still read.
  package static let format = "mpf-experiment/2"
  package static let formatWithoutEndLines = "mpf-experiment/1"

  /// - Parameters:
  ///   - facts: each machine's facts (HostFacts), by machine display name, as its workers reported them.
  ///   - git: `{commit, dirty}` of the script's folder when it is a git checkout.
  package static func header(
    experiment: Experiment, cluster: Cluster, id: String, plan: RunPlan, started: Double, resumed: [Double] = [],
    facts: [String: LuaValue] = [:], git: LuaValue = .nil, software: LuaValue = .nil
  ) -> YAMLNode {
    let machines = cluster.machines.map { machine -> YAMLNode in
      var pairs: [(key: String, value: YAMLNode)] = [("name", .string(machine.displayName))]
      if let known = facts[machine.displayName]?.tableValue {
        pairs += known.namedFields.map { ($0.name, YAMLNode.value($0.value)) }
      }
      return .mapping(pairs)
    }
    let variables = experiment.variables.map { variable -> YAMLNode in
      var pairs: [(key: String, value: YAMLNode)] = [
        ("name", .string(variable.name)),
        ("values", YAMLNode.numbers(variable.values) ?? .sequence(variable.values.map(YAMLNode.value), flow: true)),
      ]
      // Labels only when some value has its own: a variable of 100 000 numbers is written,
      // and read back, once.
      if let labels = variable.givenLabels { pairs.append(("labels", .sequence(labels.map(YAMLNode.string), flow: true))) }
      if let condition = variable.condition { pairs.append(("when", .string(condition))) }
      return .mapping(pairs)
    }
    let roles = cluster.assignments.map { assignment -> YAMLNode in
      var pairs: [(key: String, value: YAMLNode)] = [("name", .string(assignment.role))]
      // A role of several machines: each one's worker name (`client2`: results `name@client2`).
      if assignment.name != assignment.role || cluster.nodes(of: assignment.role).count > 1 {
        pairs.append(("worker", .string(assignment.name)))
      }
      if assignment.spare { pairs.append(("spare", .bool(true))) }
      pairs.append(("machine", .string(assignment.machine.displayName)))
      if let namespace = assignment.namespace { pairs.append(("namespace", .string(namespace))) }
      if let cpu = assignment.cpu { pairs.append(("cpu_id", .int(cpu))) }
      pairs.append(("interfaces", .sequence(assignment.interfaces.map { YAMLNode.value($0.luaValue) })))
      return .mapping(pairs)
    }
    let functions = experiment.functions.map { function -> YAMLNode in
      var pairs: [(key: String, value: YAMLNode)] = [
        ("index", .int(function.index)), ("kind", .string(function.kind.rawValue)),
      ]
      switch function.target {
      case .role(let role): pairs.append(("role", .string(role)))
      case .roleVariable(let variable): pairs.append(("role_variable", .string(variable)))
      case .link(let link): pairs.append(("link", .string(link)))
      }
      if function.kind == .run {
        pairs += [("delay", .number(function.delay)), ("parallel", .bool(function.parallel))]
      }
      pairs += [
        ("parameters", .sequence(function.parameters.map(YAMLNode.string), flow: true)),
        ("defined_at", .string(function.location.description)),
      ]
      return .mapping(pairs, flow: true)
    }
    var pairs: [(key: String, value: YAMLNode)] = [
      ("format", .string(format)),
      ("id", .string(id)),
      ("mpf_version", .string(MPFVersion.current)),
      ("started", .string(Clock.iso8601(started))),
      ("resumed", .sequence(resumed.map { .string(Clock.iso8601($0)) }, flow: true)),
      ("script", .mapping([
        ("path", .string(experiment.recordedScriptPath ?? experiment.scriptPath)),
        ("copy", .string(FileSystem.basename(experiment.recordedScriptPath ?? experiment.scriptPath))),
        // The script and the modules it requires: what resume must find unchanged.
        ("sha256", .string(SHA256.hex(experiment.sourceForHash.utf8))),
        ("modules", .sequence(experiment.modules.map { module in
          .mapping([("name", .string(module.name)), ("path", .string(module.path)), ("sha256", .string(SHA256.hex(module.source.utf8)))], flow: true)
        })),
        ("arguments", .sequence(experiment.arguments.map(YAMLNode.string), flow: true)),
        ("git", YAMLNode.value(git)),
      ])),
      ("label", experiment.label.map(YAMLNode.string) ?? .null),
      ("pinned", .mapping(experiment.pins.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }, flow: true)),
      ("seed", .scalar(String(experiment.seed), plain: true)),
      ("n_runs", .int(experiment.runCount)),
      ("planned_runs", .int(plan.runs.count)),
      // [point, repetition] of each run in the order they run; point numbers the cartesian
      // product of the variables' values, the first variable varying slowest.
      ("run_order", runOrder(plan.runs)),
      ("points", pointsNode(experiment.pointCounts)),

      ("cluster", cluster.file.map { .string(FileSystem.basename($0)) } ?? .null),
      ("variables", .sequence(variables)),
      ("machines", .sequence(machines)),
      ("roles", .sequence(roles)),
      ("pool", cluster.pool.map(YAMLNode.string) ?? .null),
      ("functions", .sequence(functions)),
    ]
    if experiment.pointCounts == nil { pairs.removeAll { $0.key == "points" } }
    if cluster.pool == nil { pairs.removeAll { $0.key == "pool" } }
    if experiment.label == nil { pairs.removeAll { $0.key == "label" } }
    if experiment.pins.isEmpty { pairs.removeAll { $0.key == "pinned" } }
    if let rule = experiment.adaptive {
      pairs.append(("adaptive", .mapping([
        ("min", .int(rule.min)), ("max", .int(rule.max)), ("until_ci", .number(rule.untilCI)), ("on", .string(rule.on)),
      ], flow: true)))
    }
    if let searched = experiment.search { pairs.append(("searched", .string(searched))) }
    if let origin = experiment.replayOf {
      pairs.append(("replay_of", .mapping([("id", .string(origin.id)), ("bundle_sha256", .string(origin.bundleSHA256))], flow: true)))
    }
    if software != .nil { pairs.append(("software", YAMLNode.value(software))) }
    return .mapping(pairs)
  }

  /// `[[point, repetition], ...]`, written as text: a 100 000-run plan is one string, not
  /// 300 000 YAML nodes.
  private static func runOrder(_ runs: RunList) -> YAMLNode {
    var text = "["
    text.reserveCapacity(runs.count * 12 + 2)
    for position in runs.indices {
      if position > 0 { text += ", " }
      text += "[" + String(runs.point(at: position)) + ", " + String(runs.repetition(at: position)) + "]"
    }
    text += "]"
    return .flowText(text)
  }

  /// `points: {combinations:, not_applicable:, excluded:, points:}` when not every combination runs.
  private static func pointsNode(_ counts: PointCounts?) -> YAMLNode {
    guard let counts else { return .null }
    var pairs: [(key: String, value: YAMLNode)] = [
      ("combinations", .int(counts.combinations)), ("not_applicable", .int(counts.notApplicable)),
      ("excluded", .int(counts.excluded)),
    ]
    if let design = counts.design, let candidates = counts.candidates {
      pairs += [("design", .string(design)), ("candidates", .int(candidates))]
    }
    pairs += [("points", .int(counts.points)), ("digest", .string(counts.digest))]
    return .mapping(pairs, flow: true)
  }

  package static func run(_ row: ResultRow, variables: [Variable]) -> YAMLNode {
    var pairs: [(key: String, value: YAMLNode)] = [
      ("index", .int(row.index)),
      ("repetition", .int(row.repetition)),
      ("values", .mapping(zip(variables, row.values).map { ($0.name, YAMLNode.value($1)) }, flow: true)),
      ("status", .string(row.status.rawValue)),
      ("start", .string(Clock.iso8601(row.start))),
      ("duration", .number((row.duration * 1e6).rounded() / 1e6)),
    ]
    if !row.resultOrder.isEmpty {
      pairs.append(("results", .mapping(row.resultOrder.compactMap { name in row.results[name].map { (name, result($0)) } })))
    }
    if let error = row.error { pairs.append(("error", .string(error))) }
    // A spare took a lost machine's place: which machine each such worker ran on.
    if !row.machines.isEmpty {
      pairs.append(("machines", .mapping(row.machines.sorted { $0.key < $1.key }.map { ($0.key, YAMLNode.string($0.value)) }, flow: true)))
    }
    if let log = row.log { pairs.append(("log", .string(log))) }
    if !row.files.isEmpty { pairs.append(("files", .sequence(row.files.map(YAMLNode.string)))) }
    // Last: the entry is whole exactly when this line is there.
    pairs.append(("end", .int(row.index)))
    return .mapping(pairs)
  }

  /// A plain number or string stays as is; a value with a unit keeps both forms.
  package static func result(_ value: ResultValue) -> YAMLNode {
    guard let quantity = value.quantity, !quantity.unit.isEmpty else {
      if let number = value.number, case .string = value.raw { return .value(number) }
      return .value(value.raw)
    }
    return .mapping([("value", .value(value.number ?? .number(quantity.value))), ("unit", .string(quantity.unit)), ("raw", .value(value.raw))], flow: true)
  }

  /// - Parameter reason: why the experiment stopped early (nil when it completed).
  /// - Parameter points: adaptive repetitions: why each point stopped (`points_stopped`).
  ///   - search: mpf.search: the highest good value of each combination (`search`).
  package static func trailer(
    finished: Double, status: String, completed: Int, failed: Int, reason: String? = nil, points: YAMLNode? = nil, search: YAMLNode? = nil
  ) -> YAMLNode {
    .mapping([
      ("finished", .string(Clock.iso8601(finished))),
      ("status", .string(status)),
    ] + (reason.map { [("stop_reason", YAMLNode.string($0))] } ?? []) + (points.map { [("points_stopped", $0)] } ?? [])
      + (search.map { [("search", $0)] } ?? []) + [
      ("completed_runs", .int(completed)),
      ("failed_runs", .int(failed)),
      ("end", .string("experiment")),
    ])
  }
}
