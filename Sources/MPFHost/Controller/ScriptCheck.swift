package import MPFCore
package import MPFScript
internal import MPFCluster
package import MPFSystem

/// `mpf check SCRIPT`: what would stop the script, found without running anything: a
/// function parameter that names no variable, an unknown option, a role the cluster file
/// lacks, and any error the script's declarations raise, each at its file:line.
package enum ScriptCheck {
  /// What a look at a script found (`mpf check`, `mpf plan`).
  package struct Examination {
    /// One line per problem; empty when there is none.
    package var problems: [String] = []
    /// One line per warning: likely mistakes that do not stop the script.
    package var warnings: [String] = []
    package var summary = ""
    package var report: ExperimentScript.CheckReport?
    package var source = ""
    package var cluster: Cluster?
  }

  /// Runs the script up to `mpf.run_experiment` (no command, no print) and lists its problems.
  package static func examine(scriptPath: String, clusterPath: String?, arguments: [String], pins: [String: String] = [:]) -> Examination {
    var found = Examination()
    do {
      found.cluster = try clusterPath.map(ClusterSpec.load)
    } catch {
      found.problems.append(ErrorReport(error).message)
    }
    do {
      found.source = try ExperimentScript.readSource(scriptPath)
    } catch {
      found.problems.append("mpf: cannot read \(scriptPath): \(error)")
      return found
    }
    let report: ExperimentScript.CheckReport
    do {
      let script = try ExperimentScript(
        mode: .controller, arguments: arguments,
        primitives: ScriptPrimitives(exec: { _, _, _ in throw LuaRaise("mpf check runs no command") }), pins: pins)
      report = try script.check(path: scriptPath, source: found.source)
    } catch {
      found.problems.append(ErrorReport(error).message)
      return found
    }
    found.report = report
    found.warnings = report.warnings
    found.problems += report.problems.map { $0.replacingFirst(": ", with: ": error: ") }
    if let cluster = found.cluster {
      let known = cluster.roleNames
      var reported: Set<String> = []
      for (role, location) in report.roles where !known.contains(role) && reported.insert(role).inserted {
        found.problems.append("\(location): error: role '\(role)' is not in \(cluster.file ?? "the cluster file") (roles: \(known.joined(separator: ", ")))")
      }
    }
    guard let line = report.experimentLine else {
      found.problems.append("\(scriptPath): error: no mpf.run_experiment: the script declares an experiment it never runs")
      return found
    }
    let roles = report.roles.map(\.role).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    found.summary = "\(scriptPath): \(report.variables) variable\(report.variables == 1 ? "" : "s"), \(report.functions) function\(report.functions == 1 ? "" : "s")"
      + (roles.isEmpty ? "" : " on \(roles.joined(separator: ", "))") + (line > 0 ? ", mpf.run_experiment at line \(line)" : ", mpf.run_experiment in a return")
      + (found.cluster.map { ", cluster \($0.file ?? "")" } ?? "")
    return found
  }

  /// - Returns: one line per problem (empty when there is none), one per warning, and a summary line.
  package static func run(scriptPath: String, clusterPath: String?, arguments: [String]) -> (problems: [String], warnings: [String], summary: String) {
    let found = examine(scriptPath: scriptPath, clusterPath: clusterPath, arguments: arguments)
    return (found.problems, found.warnings, found.summary)
  }
}

extension String {
  /// The first occurrence of `target` replaced.
  fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let range = firstRange(of: target) else { return self }
    return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
  }
}
