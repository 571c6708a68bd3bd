import ArgumentParser
import MPFHost
import MPFReport

/// `mpf bisect SCRIPT --variable V --good A --bad B --on R`: the first commit that moved R.
struct BisectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bisect",
    abstract: "Find the commit that moved a result, measuring about log2(commits) + 2 versions.",
    discussion: """
      VARIABLE is a variable of the script used as the git ref of an mpf.software ({git = {url = \
      ..., ref = '$VARIABLE'}}). mpf walks the first-parent history from --good to --bad, measures \
      both ends, then bisects: each probe is the experiment with VARIABLE pinned to one commit \
      (as `mpf run --pin VARIABLE=COMMIT`), stored under --out, and reused by the next bisect of \
      the same script. Each probe is judged against the two ends with the test mpf compare uses; \
      a commit that does not build is skipped.
      """
  )

  @OptionGroup var script: ScriptArgument

  @Option(help: ArgumentHelp("The variable that is the software's git ref.", valueName: "name"))
  var variable: String

  @Option(parsing: .unconditional, help: ArgumentHelp("A ref (branch, tag, commit) where the result is as it should be.", valueName: "ref"))
  var good: String

  @Option(parsing: .unconditional, help: ArgumentHelp("A later ref, on --good's first-parent line, where it has moved.", valueName: "ref"))
  var bad: String

  @Option(help: ArgumentHelp("The result to judge each probe on.", valueName: "result"))
  var on: String

  @OptionGroup var betterWay: DirectionOption

  @OptionGroup var cluster: ClusterOption

  @OptionGroup var repetitions: RepetitionOption

  @OptionGroup var experiments: ExperimentsFolderOption

  @OptionGroup var reporting: ReportingOptions

  @OptionGroup var arguments: ScriptArguments

  func run() throws {
    let runOptions = RunOptions(
      scriptPath: script.path, clusterPath: cluster.path, arguments: arguments.values, runCount: repetitions.count,
      outputParent: experiments.folder, verbose: reporting.verbose, quiet: reporting.quiet)
    let options = BisectRun.Options(
      run: runOptions, variable: variable, good: good, bad: bad, result: on,
      direction: betterWay.direction)
    // Each probe is said as it ends, even into a file: a bisect takes long.
    let bisect = BisectRun(options) { printProgress($0) }
    do {
      let report = try bisect.run()
      printText("")
      printText(bisect.table(report), terminator: "")
      printText(bisect.outcomeText(report.outcome, commits: report.commits))
      if let figure = report.figure { printText("graph: " + figure) }
      if let problem = report.figureProblem { printError("mpf bisect: " + problem) }
    } catch {
      throw fail(error, verbose: reporting.verbose)
    }
  }
}
