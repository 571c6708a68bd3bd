import ArgumentParser

/// `-n N`: repetitions of each point (run, resume, plan, repl).
struct RepetitionOption: ParsableArguments {
  @Option(
    name: [.customLong("n-runs"), .customShort("n")],
    help: "Repetitions of each point (overrides the script's n_runs; default 3; resume: the experiment's).")
  var count: Int?

  func validate() throws {
    if let count, count < 1 { throw ValidationError("--n-runs must be at least 1") }
  }
}
