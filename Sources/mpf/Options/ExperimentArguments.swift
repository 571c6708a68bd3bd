import ArgumentParser
import MPFHost

/// One stored experiment named on the command line (show, resume).
struct ExperimentArgument: ParsableArguments {
  @Argument(help: ArgumentHelp("The experiment: its directory (mpf_experiments/3f9a2c1e) or its id under --out (3f9a2c1e).", valueName: "directory"))
  var name: String

  /// Its directory: `name` itself, or the experiment of that id under `experiments`.
  func directory(under experiments: ExperimentsFolderOption) -> String {
    ExperimentRunner.experimentDirectory(named: name, under: experiments.folder)
  }
}

/// Stored experiments named on the command line (plot, report): ids are looked up under
/// mpf_experiments/.
struct ExperimentsArgument: ParsableArguments {
  @Argument(help: ArgumentHelp("Experiment directories, or ids under mpf_experiments/.", valueName: "directories"))
  var names: [String]

  /// Their directories.
  var directories: [String] { names.map { ExperimentRunner.experimentDirectory(named: $0, under: "mpf_experiments") } }
}
