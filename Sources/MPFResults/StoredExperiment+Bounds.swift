internal import MPFCore
internal import MPFYAML
import MPFSystem
import MPFText

extension StoredExperiment {
  /// A count experiment.yaml holds (`n_runs`, `planned_runs`), held to the bounds a script's
  /// own is (`NumberBounds.maxRuns`): an edited `n_runs: 4000000000` made a resume plan, and
  /// allocate, 4 billion runs.
  ///
  /// - Returns: nil when the field is absent.
  /// - Throws: what `bad` makes of the message, at the field's line, when it is no whole
  ///   number in `lowest...maxRuns`.
  static func storedCount(_ field: String, _ node: YAMLNode?, from lowest: Int = 1, bad: (String, Int) -> Diagnostic) throws -> Int? {
    guard let node, node.string != nil else { return nil }
    guard let count = node.intValue, (lowest...NumberBounds.maxRuns).contains(count) else {
      let shown = (node.string ?? "").escapingControlCharacters
      throw bad(
        "\(field) '\(shown)' is not a whole number from \(lowest) to \(NumberBounds.maxRuns) (mpf runs at most \(NumberBounds.maxRuns) runs in one experiment): experiment.yaml was edited or damaged",
        node.line)
    }
    return count
  }

  /// The stored `seed:`, refused at its line unless a whole number from 0 to UInt64.max (read
  /// as 0, a damaged seed would have made `mpf resume` rewrite `seed: 0`). 0 when absent.
  static func storedSeed(_ node: YAMLNode?, bad: (String, Int) -> Diagnostic) throws -> UInt64 {
    guard let node else { return 0 }
    guard let text = node.string, let seed = UInt64(text) else {
      let shown = (node.string ?? "(a list or mapping)").escapingControlCharacters
      throw bad("seed '\(shown)' is not a whole number from 0 to \(UInt64.max): experiment.yaml was edited or damaged", node.line)
    }
    return seed
  }

  /// Refuses a plan larger than a script may make: `n_runs` times every combination of the
  /// variables' values, over `NumberBounds.maxRuns`.
  static func checkPlanSize(runCount: Int, variables: [Variable], line: Int, bad: (String, Int) -> Diagnostic) throws {
    var runs = runCount
    for variable in variables {
      let (product, overflow) = runs.multipliedReportingOverflow(by: max(variable.values.count, 1))
      guard !overflow, product <= NumberBounds.maxRuns else {
        throw bad(
          "n_runs \(runCount) times the variables' values is over \(NumberBounds.maxRuns) runs, more than a script may plan: experiment.yaml was edited or damaged",
          line)
      }
      runs = product
    }
  }
}
