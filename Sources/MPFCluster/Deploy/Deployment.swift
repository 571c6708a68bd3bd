package import MPFCore

/// What the deployment made: the folder of each build of each software on each machine, and
/// what was deployed (for experiment.yaml and for `ctx.software`).
package struct Deployment: Sendable {
  /// software → machine (display name) → build key → absolute folder on that machine.
  package var folders: [String: [String: [String: String]]] = [:]
  /// software → build key → git commit (git sources).
  package var commits: [String: [String: String]] = [:]
  /// software → its source's record (kind, path or url, commit, dirty state, hash).
  package var sources: [String: [String: LuaValue]] = [:]
  /// machine → the deployment log's path in the results.
  package var logs: [String: String] = [:]

  package init() {}

  /// This deployment with `other`'s machines added (a spare deployed when it took a place).
  package func adding(_ other: Deployment) -> Deployment {
    var merged = self
    for (software, machines) in other.folders {
      for (machine, builds) in machines { merged.folders[software, default: [:]][machine] = builds }
    }
    for (machine, log) in other.logs { merged.logs[machine] = log }
    return merged
  }

  /// Every build of `software`: one per combination of its build variables' values (their
  /// labels fill `$name` in steps and refs), `default` when it has none.
  package static func builds(of software: Software, variables: [Variable]) -> [(key: String, values: [String: String])] {
    let names = software.buildVariables(among: variables)
    let used = variables.filter { names.contains($0.name) }
    var combinations: [[(name: String, label: String)]] = [[]]
    for variable in used {
      combinations = combinations.flatMap { prefix in variable.labels.map { prefix + [(variable.name, $0)] } }
    }
    return combinations.map { combination in
      (Software.buildKey(combination), Dictionary(uniqueKeysWithValues: combination.map { ($0.name, $0.label) }))
    }
  }

  /// `ctx.software` for a function on `machine`: for each software deployed there, `{dir =
  /// folder}` of the run's build (and `commit` for git); `values` nil (an init function):
  /// the folder when the software has a single build, else `dirs`, by build.
  package func context(on machine: String, software: [Software], variables: [Variable], values: [String: LuaValue]?) -> LuaValue {
    var table: [String: LuaValue] = [:]
    for item in software {
      guard let builds = folders[item.name]?[machine] else { continue }
      var fields: [String: LuaValue] = [:]
      let names = item.buildVariables(among: variables)
      if let values {
        let combination = variables.filter { names.contains($0.name) }.map { variable in
          (name: variable.name, label: variable.label(of: values[variable.name] ?? .nil))
        }
        let key = Software.buildKey(combination)
        if let folder = builds[key] { fields["dir"] = .string(folder) }
        if let commit = commits[item.name]?[key] { fields["commit"] = .string(commit) }
      } else if builds.count == 1, let only = builds.first {
        fields["dir"] = .string(only.value)
        if let commit = commits[item.name]?[only.key] { fields["commit"] = .string(commit) }
      } else {
        fields["dirs"] = .record(builds.mapValues { .string($0) })
      }
      table[item.name] = .record(fields)
    }
    return .record(table)
  }

  /// For experiment.yaml's `software:`: per software its source, and per machine its builds'
  /// folders and the log.
  package func record(_ software: [Software]) -> LuaValue {
    .list(software.map { item in
      var fields: [String: LuaValue] = ["name": .string(item.name), "roles": .list(item.roles.map { .string($0) })]
      fields["source"] = .record(sources[item.name] ?? [:])
      if !item.build.isEmpty { fields["build"] = .list(item.build.map { .string($0) }) }
      let machines = (folders[item.name] ?? [:]).sorted { $0.key < $1.key }.map { machine, builds -> LuaValue in
        var entry: [String: LuaValue] = ["machine": .string(machine), "builds": .record(builds.mapValues { .string($0) })]
        if let log = logs[machine], !log.isEmpty { entry["log"] = .string(log) }
        return .record(entry)
      }
      fields["machines"] = .list(machines)
      return .record(fields)
    })
  }
}
