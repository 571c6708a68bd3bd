package import MPFCore
/// Turns the table that the stdlib hands to `run_experiment` into an `Experiment`.
package enum ExperimentSpec {
  /// - Throws: `LuaRaise` if the table is not what the stdlib builds (an mpf bug, not a user's).
  package static func experiment(
    from spec: LuaValue, scriptPath: String, scriptSource: String, arguments: [String], defaultRuns: Int?,
    defaultSeed: UInt64?
  ) throws -> Experiment {
    guard let variablesTable = spec["variables"].tableValue, let functionsTable = spec["functions"].tableValue else {
      throw LuaRaise("mpf.run_experiment: malformed experiment description")
    }
    let variables = variablesTable.array.map { item in
      Variable(
        name: item["name"].stringValue ?? "?",
        values: item["values"].tableValue?.array ?? [],
        labels: item["labels"].tableValue?.array.map(\.displayString),
        location: location(item))
    }
    let functions = functionsTable.array.enumerated().map { offset, item in
      var function = RoleFunction(
        index: offset + 1,
        kind: item["kind"].stringValue == "init" ? .once : .run,
        target: target(item),
        delay: item["delay"].doubleValue ?? 0,
        parallel: item["parallel"] == .boolean(true),
        parameters: item["params"].tableValue?.array.compactMap(\.stringValue) ?? [],
        location: location(item) ?? SourceLocation(file: scriptPath, line: 0))
      function.timeout = item["timeout"].doubleValue
      function.retries = Int(item["retries"].intValue ?? 0)
      return function
    }
    // The command line overrides the script, as a user trying a variant expects.
    let runs = defaultRuns ?? spec["n_runs"].intValue.map(Int.init) ?? 3
    let seed = defaultSeed ?? spec["seed"].intValue.map { UInt64(bitPattern: $0) } ?? freshSeed()
    var experiment = Experiment(
      scriptPath: scriptPath, scriptSource: scriptSource, arguments: arguments, variables: variables,
      functions: functions, runCount: runs, seed: seed)
    experiment.stopOnError = spec["on_error"] == .string("stop")
    experiment.modules = spec["modules"].tableValue?.array.compactMap { item in
      guard let name = item["name"].stringValue, let path = item["path"].stringValue, let source = item["source"].stringValue else {
        return nil
      }
      return ScriptModule(name: name, path: path, source: source)
    } ?? []
    return experiment
  }

  private static func target(_ item: LuaValue) -> RoleFunction.Target {
    if let variable = item["role_variable"].stringValue { return .roleVariable(variable) }
    if let link = item["link"].stringValue { return .link(link) }
    return .role(item["role"].stringValue ?? "?")
  }

  private static func location(_ item: LuaValue) -> SourceLocation? {
    guard let file = item["source"].stringValue, let line = item["line"].intValue else { return nil }
    return SourceLocation(file: file, line: Int(line))
  }

  /// A new seed, small enough to type back on a command line (`--seed`).
  package static func freshSeed() -> UInt64 {
    var generator = SystemRandomNumberGenerator()
    return UInt64.random(in: 1...999_999_999, using: &generator)
  }
}
