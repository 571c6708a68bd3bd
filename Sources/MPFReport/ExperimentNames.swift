internal import MPFCore
package import MPFResults
internal import MPFYAML
import MPFSystem

/// What experiments shown together are called (`mpf plot A B`, `mpf compare A B`): each one's
/// label when it has one; else its script's name and what sets it apart from the others (the
/// script's commit, its arguments, a software's commit, its seed), never a cut id.
package enum ExperimentNames {
  /// A name longer than this is cut (with `…`): a label may be megabytes.
  static let longest = 60

  package static func names(of experiments: [StoredExperiment]) -> [String] {
    var names = experiments.map { experiment -> String in
      if let label = experiment.label, !label.isEmpty { return label }
      let script = ReportPage.name(of: experiment)
      let differences = facts.compactMap { fact -> String? in
        let values = experiments.map { fact.value($0) }
        guard Set(values).count > 1, let own = fact.value(experiment) else { return nil }
        return "\(fact.name) \(own)"
      }
      return differences.isEmpty ? script : "\(script) (\(differences.joined(separator: ", ")))"
    }.map(cut)
    // Still the same (the same script run twice alike): the time each started tells them apart.
    if Set(names).count < names.count {
      names = zip(names, experiments).map { "\($0) (started \(Clock.iso8601($1.started)))" }
    }
    return names
  }

  /// The facts that may tell experiments apart, in the order a reader looks for them.
  static let facts: [(name: String, value: @Sendable (StoredExperiment) -> String?)] = [
    ("commit", { $0.record["script"]?["git"]?["commit"]?.string.map { String($0.prefix(7)) } }),
    ("args", { $0.arguments.isEmpty ? nil : $0.arguments.joined(separator: " ") }),
    ("software", { experiment in
      let commits = (experiment.record["software"]?.items ?? []).compactMap { item -> String? in
        guard let name = item["name"]?.string, let source = item["source"] else { return nil }
        let commits = source["git_commit"]?.string.map { [$0] } ?? source["commits"]?.pairs.compactMap { $0.value.string } ?? []
        return commits.isEmpty ? nil : "\(name)@" + commits.map { String($0.prefix(7)) }.joined(separator: ",")
      }
      return commits.isEmpty ? nil : commits.joined(separator: " ")
    }),
    ("seed", { String($0.seed) }),
  ]

  static func cut(_ name: String) -> String {
    let oneLine = name.split(whereSeparator: \.isNewline).joined(separator: " ")
    return oneLine.count <= longest ? oneLine : String(oneLine.prefix(longest - 1)) + "…"
  }
}
