import ArgumentParser
import MPFSystem
import MPFText

/// `-n N`: repetitions of each point (run, resume, plan, repl, bisect). Taken as text and
/// checked here, as `--seed` is, so that `-n -1` gets the message naming the valid range (an
/// `Int` option took `-1` for another option: "Missing value for '-n'").
struct RepetitionOption: ParsableArguments {
  @Option(
    name: [.customLong("n-runs"), .customShort("n")], parsing: .unconditional,
    help: ArgumentHelp("Repetitions of each point (overrides the script's n_runs; default 3; resume: the experiment's).", valueName: "n-runs"))
  var text: String?

  /// The count given, nil when none (`validate` refused any other text).
  var count: Int? { text.flatMap { Int($0) } }

  func validate() throws {
    guard let text else { return }
    guard let count = Int(text), (1...NumberBounds.maxRuns).contains(count) else {
      throw ValidationError("--n-runs '\(text.escapingControlCharacters)' is not a whole number from 1 to \(NumberBounds.maxRuns)")
    }
  }
}
