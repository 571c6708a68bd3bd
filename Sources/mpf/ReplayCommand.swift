import ArgumentParser
import MPFHost
import MPFReport
import MPFSystem
import MPFText

/// `mpf replay BUNDLE`: runs an exported experiment again and compares it with the original.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Run an exported experiment again and compare it with the original.",
    discussion: """
      The bundle is checked before anything in it is used (relative paths only, files and \
      folders only, bounded sizes, every file as its manifest says). Its experiment then runs \
      with the stored script, seed, n_runs, arguments and label, each mpf.software built from \
      the source in the bundle, on the cluster given (its roles must be the original's) or on \
      this machine. The new experiment records replay_of; the comparison is mpf compare's.
        mpf replay study.tar.gz -c cluster.yaml --fail-if-worse
            exit status 4 when a result got worse
      """
  )

  @Argument(help: ArgumentHelp("The bundle mpf export wrote.", valueName: "bundle"))
  var bundle: String

  @OptionGroup var cluster: ClusterOption

  @Option(help: ArgumentHelp("Where the new experiment's directory is made.", valueName: "dir"))
  var out = "mpf_experiments"

  @Flag(name: .customLong("fail-if-worse"), help: "Exit with status 4 when a result is worse than the original's (the comparison says so).")
  var failIfWorse = false

  @OptionGroup var betterWay: DirectionOption

  @OptionGroup var reporting: ReportingOptions

  func run() throws {
    let unpacked: UnpackedBundle
    let options: RunOptions
    do {
      unpacked = try BundleReader.unpack(bundle)
    } catch {
      throw fail(error)
    }
    // The private copy goes whatever fails after this (a cluster without the roles, a damaged
    // experiment.yaml): it may be gigabytes.
    defer { unpacked.remove() }
    do {
      options = try Replay.options(for: unpacked, clusterPath: cluster.path, outputParent: out, verbose: reporting.verbose, quiet: reporting.quiet)
    } catch {
      throw fail(unpacked.inBundleTerms(error))
    }
    if !reporting.quiet { printError("mpf: replaying \(unpacked.manifest.id) from \(bundle) (sha256 \(unpacked.sha256.prefix(16))...)") }
    let outcome: RunOutcome
    do {
      outcome = try ExperimentRunner(options: options).run()
    } catch {
      throw fail(unpacked.inBundleTerms(error), verbose: reporting.verbose)
    }
    guard let directory = outcome.resultDirectories.first else {
      printError("mpf replay: the script ran no experiment")
      throw ExitCode(ExitStatus.error.rawValue)
    }
    do {
      let compared = try Replay.comparison(of: unpacked, with: directory, direction: betterWay.direction)
      if let comparison = compared.comparison {
        printText(comparison.text(nameA: compared.nameA, nameB: compared.nameB), terminator: "")
        if failIfWorse { try gate(comparison) }
      } else {
        printError("mpf replay: not compared: \(compared.why)")
        // A gate that could judge nothing has not passed.
        if failIfWorse { throw ExitCode(ExitStatus.error.rawValue) }
      }
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw fail(unpacked.inBundleTerms(error))
    }
    if outcome.failedRuns > 0 { throw ExitCode(ExitStatus.someRunsFailed.rawValue) }
  }

  /// `--fail-if-worse`: status 4 when the comparison calls a point of a result worse.
  private func gate(_ comparison: Comparison) throws {
    if let why = comparison.nothingJudged {
      printError("mpf replay: --fail-if-worse: \(why) the original and the replay: nothing could be judged")
      throw ExitCode(ExitStatus.error.rawValue)
    }
    for result in comparison.results where result.direction == .unknown {
      printError("mpf replay: \(result.result) not judged: its unit and its name do not say whether more is better (pass --higher-is-better or --lower-is-better)")
    }
    guard comparison.results.contains(where: { !$0.points.isEmpty && $0.direction != .unknown }) else {
      printError("mpf replay: --fail-if-worse: no result could be judged")
      throw ExitCode(ExitStatus.error.rawValue)
    }
    let worse = comparison.worse(than: 0)
    for (result, point, _) in worse {
      let said = comparison.results.first { $0.result == result }?.said(point) ?? "is worse"
      printError("mpf replay: \(result) at \(comparison.pointName) = \(point.name) \(said) than the original's")
    }
    if !worse.isEmpty { throw ExitCode(ExitStatus.worse.rawValue) }
  }
}
