internal import MPFCore
internal import MPFScript
internal import MPFCluster

/// `mpf check SCRIPT`: what would stop the script, found without running anything: a
/// function parameter that names no variable, an unknown option, a role the cluster file
/// lacks, and any error the script's declarations raise, each at its file:line.
package enum ScriptCheck {
  /// - Returns: one line per problem (empty when there is none) and a summary line.
  package static func run(scriptPath: String, clusterPath: String?, arguments: [String]) -> (problems: [String], summary: String) {
    var problems: [String] = []
    var cluster: Cluster?
    do {
      cluster = try clusterPath.map(ClusterSpec.load)
    } catch {
      problems.append(ErrorReport(error).message)
    }
    let source: String
    do {
      source = try FileSystem.readString(scriptPath)
    } catch {
      return ([ "mpf check: cannot read \(scriptPath): \(error)"], "")
    }
    let report: ExperimentScript.CheckReport
    do {
      let script = try ExperimentScript(
        mode: .controller, arguments: arguments,
        primitives: ScriptPrimitives(exec: { _, _, _ in throw LuaRaise("mpf check runs no command") }))
      report = try script.check(path: scriptPath, source: source)
    } catch {
      return (problems + [ErrorReport(error).message], "")
    }
    problems += report.problems.map { $0.replacingFirst(": ", with: ": error: ") }
    if let cluster {
      let known = cluster.assignments.map(\.role)
      var reported: Set<String> = []
      for (role, location) in report.roles where !known.contains(role) && reported.insert(role).inserted {
        problems.append("\(location): error: role '\(role)' is not in \(cluster.file ?? "the cluster file") (roles: \(known.joined(separator: ", ")))")
      }
    }
    guard let line = report.experimentLine else {
      return (problems + ["\(scriptPath): error: no mpf.run_experiment: the script declares an experiment it never runs"], "")
    }
    let roles = report.roles.map(\.role).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    let summary = "\(scriptPath): \(report.variables) variable\(report.variables == 1 ? "" : "s"), \(report.functions) function\(report.functions == 1 ? "" : "s")"
      + (roles.isEmpty ? "" : " on \(roles.joined(separator: ", "))") + ", mpf.run_experiment at line \(line)"
      + (cluster.map { ", cluster \($0.file ?? "")" } ?? "")
    return (problems, summary)
  }
}

extension String {
  /// The first occurrence of `target` replaced.
  fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let range = firstRange(of: target) else { return self }
    return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
  }
}
