import ArgumentParser
import MPFText

/// `--seed N`: the run order (run, plan). Taken as text and checked here, so that `--seed -1`
/// and `--seed=-1` both get the one message naming the valid range (a `UInt64` option took
/// `-1` for another option: "Missing value").
struct SeedOption: ParsableArguments {
  @Option(
    name: .customLong("seed"), parsing: .unconditional,
    help: ArgumentHelp("Seed of the run order (overrides the script's seed; default: a new one, stored with the results).", valueName: "seed"))
  var text: String?

  /// The seed given, nil when none (`validate` refused any other text).
  var seed: UInt64? { text.flatMap { UInt64($0) } }

  func validate() throws {
    guard let text, UInt64(text) == nil else { return }
    throw ValidationError("--seed '\(text.escapingControlCharacters)' is not a whole number from 0 to \(UInt64.max)")
  }
}
