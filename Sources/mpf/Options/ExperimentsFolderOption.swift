import ArgumentParser

/// `--out DIR`: the folder of experiment directories (every command that makes or reads one).
struct ExperimentsFolderOption: ParsableArguments {
  @Option(name: .customLong("out"), help: ArgumentHelp("Folder of experiment directories: where they are made and ids are looked up.", valueName: "folder"))
  var folder = "mpf_experiments"
}
