package import MPFSystem
/// Everything a script declared before `mpf.run_experiment`: what the orchestrator needs.
package struct Experiment: Sendable {
  /// The script as given on the command line, and its text (sent to every worker).
  package var scriptPath: String
  package var scriptSource: String
  package var arguments: [String]
  package var variables: [Variable]
  package var functions: [RoleFunction]
  package var runCount: Int
  package var seed: UInt64
  /// `on_error = 'stop'`: the first failed run ends the experiment (default: go on).
  package var stopOnError = false
  /// What names the experiment in `mpf plot A B`, `compare`, the report and `load_many`
  /// (`mpf run --label`, `run_experiment{label = ...}`); nil: its script and what differs.
  package var label: String?
  /// Variables held to one value by `--pin NAME=VALUE` (mpf bisect's probes), by name: a resume
  /// keeps them.
  package var pins: [String: String] = [:]
  /// The script's path as the results record it, when it differs from `scriptPath` (the file run).
  package var recordedScriptPath: String?
  /// The Lua modules the script requires, which travel with it.
  package var modules: [ScriptModule] = []
  /// What `mpf.software` declared: deployed and built on the nodes before the init functions.
  package var software: [Software] = []
  /// The points to run when they are not the whole cartesian product (a variable that applies
  /// only `when`, `mpf.exclude`, `mpf.zip`): one value per variable, `.nil` where a variable
  /// does not apply, in cartesian order. nil: every combination.
  package var points: [[LuaValue]]?
  /// `mpf.search`: the variable searched (its values in increasing order), one run per probe.
  package var search: String?
  /// Adaptive repetitions (`n_runs = {min =, max =, until_ci =, on =}`); `runCount` is `min`.
  package var adaptive: AdaptiveRule?
  /// How the points came from the combinations (printed, and kept in experiment.yaml).
  package var pointCounts: PointCounts?

  /// The variables some software's build depends on, in variable order: runs are grouped by them.
  package var buildVariables: [String] {
    let named = Set(software.flatMap { $0.buildVariables(among: variables) })
    return variables.map(\.name).filter(named.contains)
  }
  /// In an `mpf repl` session: what was typed at the prompt so far, which workers replay after
  /// the script (nil for a script run).
  package var replay: [String]?
  /// `mpf replay`: the experiment and bundle this one runs again (nil otherwise).
  package var replayOf: ReplayOrigin?

  package init(
    scriptPath: String, scriptSource: String, arguments: [String] = [], variables: [Variable],
    functions: [RoleFunction], runCount: Int = 3, seed: UInt64
  ) {
    self.scriptPath = scriptPath
    self.scriptSource = scriptSource
    self.arguments = arguments
    self.variables = variables
    self.functions = functions
    self.runCount = runCount
    self.seed = seed
  }

  /// The script's folder named as the results record it: with `recordedScriptPath` (a resume
  /// or a replay runs a stored copy, in the experiment's folder or an unpacked bundle), the
  /// places of functions, variables and software, and the modules' paths, are in the original
  /// script's folder, as the original recorded them, and never name a private copy that is gone.
  package mutating func nameSourcesAsRecorded() {
    guard let recordedScriptPath else { return }
    let (actual, recorded) = (FileSystem.dirname(scriptPath), FileSystem.dirname(recordedScriptPath))
    guard actual != recorded else { return }
    let (script, prefix) = (scriptPath, actual == "." ? "./" : actual + "/")
    let rename = { (path: String) -> String in
      if path == script { return recordedScriptPath }
      guard path.hasPrefix(prefix) else { return path }
      return (recorded == "." ? "" : recorded + "/") + path.dropFirst(prefix.count)
    }
    let relocate = { (location: SourceLocation) in SourceLocation(file: rename(location.file), line: location.line) }
    for index in functions.indices { functions[index].location = relocate(functions[index].location) }
    for index in variables.indices { variables[index].location = variables[index].location.map(relocate) }
    for index in software.indices { software[index].location = software[index].location.map(relocate) }
    for index in modules.indices { modules[index].path = rename(modules[index].path) }
  }

  /// The script's text followed by each module's name and text: what the recorded hash covers.
  package var sourceForHash: String {
    Self.sourceForHash(script: scriptSource, modules: modules.map { ($0.name, $0.source) })
  }

  /// What `script.sha256` covers, for any script and modules (mpf export checks stored copies so).
  package static func sourceForHash(script: String, modules: [(name: String, source: String)]) -> String {
    modules.reduce(script) { $0 + "\u{0}" + $1.name + "\u{0}" + $1.source }
  }

  /// Roles in the order the script first names them: fixed roles and the values of variables
  /// used as roles. Link functions add the roles at the ends of their links (`roles(in:)`).
  package var roles: [String] {
    var seen: Set<String> = []
    return functions.flatMap { function -> [String] in
      switch function.target {
      case .role(let role): [role]
      case .roleVariable(let name): variables.first { $0.name == name }?.values.compactMap(\.stringValue) ?? []
      case .link: []
      }
    }.filter { seen.insert($0).inserted }
  }

  /// Every role that needs a worker on `cluster`: `roles`, then the ends of the links used.
  package func roles(in cluster: Cluster) -> [String] {
    let links = Set(functions.compactMap { function -> String? in
      if case .link(let link) = function.target { return link }
      return nil
    })
    var seen = Set(roles)
    let ends = cluster.assignments.filter { assignment in
      assignment.interfaces.contains { $0.link.map(links.contains) ?? false }
    }.map(\.role).filter { seen.insert($0).inserted }
    return roles + ends
  }

  package var initFunctions: [RoleFunction] { functions.filter { $0.kind == .once } }

  /// The per-run functions grouped into stages: each stage is a run of `parallel` functions
  /// plus the first non-parallel function after them; a stage ends when all its calls have.
  package var stages: [[RoleFunction]] {
    var stages: [[RoleFunction]] = []
    var current: [RoleFunction] = []
    for function in functions where function.kind == .run {
      current.append(function)
      if !function.parallel {
        stages.append(current)
        current = []
      }
    }
    if !current.isEmpty { stages.append(current) }
    return stages
  }
}

extension Experiment {
  /// An experiment's name as titles and reports show it: its script's file name without `.lua`.
  package static func name(ofScript path: String) -> String {
    var name = FileSystem.basename(path)
    if name.hasSuffix(".lua") { name.removeLast(4) }
    return name
  }
}

/// How many combinations of the variables' values there are, how many collapsed because a
/// variable did not apply (`when`), how many `mpf.exclude` removed, and the points left.
package struct PointCounts: Sendable, Equatable {
  package var combinations: Int
  package var notApplicable: Int
  package var excluded: Int
  package var points: Int
  /// SHA-256 of the points (their value indices), so that a resume can tell the same points.
  package var digest = ""
  /// The design that chose `points` among the candidates left (`random`, `lhs`, `wsp`).
  package var design: String?
  package var candidates: Int?

  package init(combinations: Int, notApplicable: Int, excluded: Int, points: Int) {
    self.combinations = combinations
    self.notApplicable = notApplicable
    self.excluded = excluded
    self.points = points
  }

  /// `24 points of 36 combinations: 8 where a variable does not apply, 4 excluded`.
  package var summary: String {
    var parts: [String] = []
    if notApplicable > 0 { parts.append("\(notApplicable) where a variable does not apply") }
    if excluded > 0 { parts.append("\(excluded) excluded") }
    if let design, design.hasPrefix("file ") {
      parts.append("read from \(design.dropFirst(5))")
    } else if let design, let candidates {
      parts.append("\(points) chosen by \(design) among \(candidates)")
    }
    return "\(points) point\(points == 1 ? "" : "s") of \(combinations) combination\(combinations == 1 ? "" : "s")"
      + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
  }
}
