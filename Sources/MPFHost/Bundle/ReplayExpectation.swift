package import MPFCore
internal import MPFResults
internal import MPFYAML
import MPFText

/// What a replay's experiment must be again, checked as it runs (`Replay.checkRecorded` has
/// held the bundle's files to experiment.yaml before the script started):
/// - the script and the modules it loaded hash as the original's `script.sha256`: a module
///   found along package.path here that is not the original's is refused before any run;
/// - the plan is the original's (its variables, their values, the number of runs, the points
///   of a design). A plan that differs is said, not refused: a script may plan from what it
///   finds on its machine, and the comparison then has only the points both have.
package struct ReplayExpectation: Sendable {
  let scriptSHA256: String?
  let moduleSHA256: [String: String]
  let variables: [Named]
  let plannedRuns: Int?
  let pointsDigest: String?

  struct Named: Sendable, Equatable {
    var name: String
    var values: [String]
  }

  /// - Parameter sources: the original's script and modules as its experiment.yaml records them.
  init(_ stored: StoredExperiment, sources: StoredSources) {
    scriptSHA256 = sources.wholeSHA256
    moduleSHA256 = Dictionary(sources.modules.compactMap { module in module.sha256.map { (module.name, $0) } }, uniquingKeysWith: { first, _ in first })
    variables = stored.variables.map { Named(name: $0.name, values: $0.values.map(\.displayString)) }
    (plannedRuns, pointsDigest) = (stored.plannedRuns, stored.pointsDigest)
  }

  /// - Throws: `Diagnostic` naming the module that is not the original's, or saying the script
  ///   is not.
  package func checkSources(of experiment: Experiment) throws {
    guard let scriptSHA256, SHA256.hex(experiment.sourceForHash.utf8) != scriptSHA256 else { return }
    let note = "nothing was run: a replay runs what the original ran, or nothing"
    for module in experiment.modules where moduleSHA256[module.name] != SHA256.hex(module.source.utf8) {
      let why = moduleSHA256[module.name] == nil ? "the original did not load it" : "its SHA-256 differs"
      throw Diagnostic(
        .usage, "module '\(module.name)' (\(module.path)) is not the one the original ran: \(why)",
        notes: [note, "a module from outside the script's folder is not in the bundle: it is found along package.path here"])
    }
    let missing = moduleSHA256.keys.filter { name in !experiment.modules.contains { $0.name == name } }.sorted()
    let why = missing.isEmpty ? "" : ": it did not load module \(missing.map { "'\($0)'" }.joined(separator: ", "))"
    throw Diagnostic(.usage, "the script and its modules are not what the original ran (their SHA-256 differs from script.sha256)\(why)", notes: [note])
  }

  /// What differs between the original's plan and the replay's, in words (empty: the same).
  package func planDifferences(_ experiment: Experiment, plan: RunPlan) -> [String] {
    var said: [String] = []
    let now = experiment.variables.map { Named(name: $0.name, values: $0.values.map(\.displayString)) }
    let before = Dictionary(variables.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
    for variable in now where before[variable.name] != variable.values {
      said.append(before[variable.name] == nil
        ? "variable '\(variable.name)' is new"
        : "variable '\(variable.name)' has the values \(Self.list(variable.values)), the original \(Self.list(before[variable.name] ?? []))")
    }
    for variable in variables where !now.contains(where: { $0.name == variable.name }) {
      said.append("variable '\(variable.name)' of the original is not declared")
    }
    if let plannedRuns, plannedRuns != plan.runs.count { said.append("\(plan.runs.count) runs are planned, the original planned \(plannedRuns)") }
    if said.isEmpty, pointsDigest != plan.pointsDigest { said.append("its points are not the original's") }
    return said
  }

  private static func list(_ values: [String]) -> String {
    let shown = values.prefix(6).joined(separator: ", ")
    return "{\(shown)\(values.count > 6 ? ", ... (\(values.count))" : "")}"
  }
}
