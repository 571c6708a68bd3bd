import ArgumentParser

/// `--seed N`: the run order (run, plan).
struct SeedOption: ParsableArguments {
  @Option(help: "Seed of the run order (overrides the script's seed; default: a new one, stored with the results).")
  var seed: UInt64?
}
