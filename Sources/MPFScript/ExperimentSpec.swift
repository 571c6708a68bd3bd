package import MPFCore
package import MPFSystem
package import MPFText
/// Turns the table that the stdlib hands to `run_experiment` into an `Experiment`.
package enum ExperimentSpec {
  /// - Throws: `LuaRaise` if the table is not what the stdlib builds (an mpf bug, not a user's).
  package static func experiment(
    from spec: LuaValue, scriptPath: String, scriptSource: String, arguments: [String], defaultRuns: Int?,
    defaultSeed: UInt64?, originalScriptPath: String? = nil, bundled: [String: BundledSource]? = nil
  ) throws -> Experiment {
    guard let variablesTable = spec["variables"].tableValue, let functionsTable = spec["functions"].tableValue else {
      throw LuaRaise("mpf.run_experiment: malformed experiment description")
    }
    let variables = variablesTable.array.map { item in
      Variable(
        name: item["name"].stringValue ?? "?",
        values: item["values"].tableValue?.array ?? [],
        labels: item["labels"].tableValue?.array.map(\.displayString),
        location: location(item),
        condition: item["when"].stringValue)
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
      if let every = item["aggregate"].stringValue.flatMap(NodeAggregate.init(rawValue:)) {
        function.aggregates[""] = every
      } else if let each = item["aggregate"].tableValue {
        for (name, kind) in each.namedFields { function.aggregates[name] = kind.stringValue.flatMap(NodeAggregate.init(rawValue:)) }
      }
      return function
    }
    // The command line overrides the script, as a user trying a variant expects.
    let runs = defaultRuns ?? spec["n_runs"].intValue.map(Int.init) ?? 3
    // --n-runs is held to the bound the stdlib puts on the script's own n_runs.
    if let defaultRuns {
      var planned = defaultRuns
      for variable in variables { planned = planned.multipliedReportingOverflow(by: max(variable.values.count, 1)).partialValue }
      guard defaultRuns <= NumberBounds.maxRuns, planned <= NumberBounds.maxRuns, planned > 0 else {
        throw LuaRaise("mpf.run_experiment: --n-runs \(defaultRuns) makes a plan over \(NumberBounds.maxRuns) runs, the most mpf runs in one experiment")
      }
    }
    let seed = defaultSeed ?? spec["seed"].intValue.map { UInt64(bitPattern: $0) } ?? freshSeed()
    var experiment = Experiment(
      scriptPath: scriptPath, scriptSource: scriptSource, arguments: arguments, variables: variables,
      functions: functions, runCount: runs, seed: seed)
    experiment.stopOnError = spec["on_error"] == .string("stop")
    experiment.label = spec["label"].stringValue
    for (name, value) in spec["pinned"].tableValue?.namedFields ?? [] { experiment.pins[name] = value.stringValue }
    experiment.modules = spec["modules"].tableValue?.array.compactMap { item in
      guard let name = item["name"].stringValue, let path = item["path"].stringValue, let source = item["source"].stringValue else {
        return nil
      }
      return ScriptModule(name: name, path: path, source: source)
    } ?? []
    if let searched = spec["search"].stringValue {
      experiment.search = searched
      experiment.runCount = 1
    }
    // `--n-runs N` overrides adaptive repetitions too: N runs of each point, no rule.
    let adaptive = spec["adaptive"]
    if defaultRuns == nil, let min = adaptive["min"].intValue, let max = adaptive["max"].intValue, let until = adaptive["until_ci"].doubleValue,
      let on = adaptive["on"].stringValue
    {
      experiment.adaptive = AdaptiveRule(min: Int(min), max: Int(max), untilCI: until, on: on)
    }
    if case .string(let encoded) = spec["points"], !variables.isEmpty {
      // Each point: one index per variable in `point_width` characters of 6 bits ('0' + bits,
      // most significant first; 0: the variable does not apply).
      let bytes = Array(encoded.utf8)
      let size = Int(spec["point_width"].intValue ?? 1)
      let stride = size * variables.count
      var points: [[LuaValue]] = []
      points.reserveCapacity(bytes.count / max(stride, 1))
      var start = 0
      while start + stride <= bytes.count {
        points.append((0..<variables.count).map { column in
          var index = 0
          for k in 0..<size { index = index << 6 | (Int(bytes[start + column * size + k]) - 48) & 63 }
          return index >= 1 && index <= variables[column].values.count ? variables[column].values[index - 1] : .nil
        })
        start += stride
      }
      experiment.points = points
      let counts = spec["point_counts"]
      experiment.pointCounts = PointCounts(
        combinations: Int(counts["combinations"].intValue ?? 0), notApplicable: Int(counts["not_applicable"].intValue ?? 0),
        excluded: Int(counts["excluded"].intValue ?? 0), points: points.count)
      experiment.pointCounts?.digest = SHA256.hex(bytes)
    }
    if let file = spec["design"]["file"].stringValue {
      // Points kept from an earlier plan (`mpf plan --points-out`), relative to the script's folder.
      let path = FileSystem.absolute(FileSystem.join(FileSystem.dirname(FileSystem.absolute(scriptPath)), file))
      let text: String
      do {
        text = try FileSystem.readString(path)
      } catch {
        throw Diagnostic(.io, "design file \(path): \(error)", notes: ["mpf plan SCRIPT --points-out FILE writes one"])
      }
      let points = try PointsFile.points(text, file: path, variables: variables)
      experiment.points = points
      var counts = PointCounts(
        combinations: variables.reduce(1) { $0 * $1.values.count }, notApplicable: 0, excluded: 0, points: points.count)
      counts.design = "file " + FileSystem.basename(path)
      counts.candidates = points.count
      counts.digest = SHA256.hex(Array(text.utf8))
      experiment.pointCounts = counts
    } else if let kind = spec["design"]["kind"].stringValue.flatMap(PointDesign.Kind.init(rawValue:)), let count = spec["design"]["points"].intValue {
      // A design chooses among what is left of the space (every combination when nothing was listed).
      let candidates = experiment.points ?? RunPlan.product(of: variables)
      let chosen = PointDesign(kind: kind, count: Int(count)).choose(from: candidates, variables: variables, seed: seed)
      experiment.points = chosen.map { candidates[$0] }
      var counts = experiment.pointCounts ?? PointCounts(combinations: candidates.count, notApplicable: 0, excluded: 0, points: candidates.count)
      counts.design = kind.rawValue
      counts.candidates = candidates.count
      counts.points = chosen.count
      counts.digest = SHA256.hex(Array((counts.digest + ":" + kind.rawValue + ":" + chosen.map(String.init).joined(separator: ",")).utf8))
      experiment.pointCounts = counts
    }
    experiment.software = try spec["software"].tableValue?.array.map {
      try software(from: $0, scriptPath: originalScriptPath ?? scriptPath, resuming: originalScriptPath != nil, bundled: bundled)
    } ?? []
    return experiment
  }

  /// One `mpf.software{...}`; a relative `dir` (or a git url that is a relative path) is
  /// relative to the script's folder, as a user reading the script expects: on a resume, the
  /// folder of the script the experiment ran (as it was given, from where mpf runs), not of
  /// the copy kept with the results.
  ///
  /// With `bundled` (`mpf replay`), every software takes its source from there (its `dir` need
  /// not exist), and one the bundle has no source for is refused: a replay fetches nothing.
  private static func software(
    from item: LuaValue, scriptPath: String, resuming: Bool = false, bundled: [String: BundledSource]? = nil
  ) throws -> Software {
    let name = item["name"].stringValue ?? "?"
    if let bundled, bundled[name] == nil {
      throw Diagnostic(
        .usage, "mpf.software '\(name)': the bundle holds no source for it", at: location(item),
        notes: ["a replay builds only what its bundle holds, and fetches nothing; mpf export puts in the source of every mpf.software the experiment deployed"])
    }

    let folder = FileSystem.dirname(FileSystem.absolute(scriptPath))
    func resolved(_ path: String) -> String {
      FileSystem.absolute(FileSystem.join(folder, path))
    }
    let source: Software.Source
    if let url = item["git"]["url"].stringValue {
      let local = !url.contains("://") && !url.contains(":")
      source = .git(url: local ? resolved(url) : url, ref: item["git"]["ref"].stringValue ?? "HEAD")
    } else {
      let folder = resolved(item["dir"].stringValue ?? ".")
      // Said before anything starts: no results folder for an experiment that cannot deploy.
      guard bundled?[name] != nil || FileSystem.isDirectory(folder) else {
        throw Diagnostic(
          .usage, "mpf.software '\(item["name"].stringValue ?? "?")': dir \(folder) is not a folder of this machine",
          at: location(item),
          notes: resuming
            ? ["a resume finds a relative dir beside the script the experiment ran, \(scriptPath): resume from the folder the experiment was run from, or give the script with --script PATH"]
            : [])
      }
      source = .folder(folder)
    }
    var software = Software(
      name: item["name"].stringValue ?? "?", roles: item["roles"].tableValue?.array.compactMap(\.stringValue) ?? [],
      source: source, location: location(item))
    software.apt = item["apt"].tableValue?.array.compactMap(\.stringValue) ?? []
    software.dnf = item["dnf"].tableValue?.array.compactMap(\.stringValue) ?? []
    software.build = item["build"].tableValue?.array.compactMap(\.stringValue) ?? []
    software.buildTimeout = item["build_timeout"].doubleValue ?? Software.defaultBuildTimeout
    software.bundled = bundled?[name]
    return software
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
