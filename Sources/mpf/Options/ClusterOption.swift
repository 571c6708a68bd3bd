import ArgumentParser

/// `-c FILE`: where the roles run (run, resume, plan, check, repl).
struct ClusterOption: ParsableArguments {
  @Option(
    name: [.customShort("c"), .customLong("cluster")],
    help: ArgumentHelp(
      "The cluster file (YAML): the machines of each role. Without it every role runs on this machine (resume: the copy stored with the experiment).",
      valueName: "file"))
  var path: String?
}
