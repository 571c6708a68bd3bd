import ArgumentParser
import MPFCore
import MPFGraphs
import MPFHost
import MPFReport
import MPFResults
import MPFSystem
import MPFText

/// `mpf compare A B`: each shared point's means, ratio and significance; a CI gate with
/// `--fail-if-worse PCT` (exit status 4).
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare two stored experiments point by point.",
    discussion: """
      For each point both experiments measured: the mean of each with its 95% confidence \
      interval, B/A, and whether the difference is significant (Welch's t-test). "Worse" follows \
      the unit (lower bit/s, higher seconds) unless --higher-is-better or --lower-is-better says \
      otherwise. A graph per result is written to --out (default: the current folder).
        mpf compare before/ after/ --on goodput --fail-if-worse 5
            exit status 4 if a point lost more than 5%
      """
  )

  @Argument(help: "The reference experiment (directory or id).")
  var a: String

  @Argument(help: "The experiment compared with it.")
  var b: String

  @Option(help: "The result to compare (default: every numeric result both have).")
  var on: String?

  @Option(name: .customLong("fail-if-worse"), help: "Exit with status 4 when a point got worse by more than PCT percent.")
  var failIfWorse: Double?

  @OptionGroup var betterWay: DirectionOption

  func validate() throws {
    if let limit = failIfWorse, !(limit.isFinite && limit >= 0) {
      throw ValidationError("--fail-if-worse takes a percentage of 0 or more (got \(limit)): 5 fails on a point more than 5% worse")
    }
  }

  @Option(help: "The folder the graphs are written to.")
  var out = "."

  @Flag(help: "Do not write graphs.")
  var noGraph = false

  func run() throws {
    let comparison: Comparison
    let (nameA, nameB): (String, String)
    do {
      let stored = try [a, b].map { try StoredExperiment.loadSayingSkipped(ExperimentRunner.experimentDirectory(named: $0, under: "mpf_experiments")) }
      let names = ExperimentNames.names(of: stored)
      (nameA, nameB) = (names[0], names[1])
      let direction = betterWay.direction
      comparison = try Comparison(stored[0], stored[1], on: on, direction: direction)
      printText(comparison.text(nameA: nameA, nameB: nameB), terminator: "")
      if !noGraph {
        for (result, figure) in comparison.figures(nameA: nameA, nameB: nameB) {
          printText("graph: " + (try FigureFiles.write(figure, directory: out, name: "compare-\(result)")))
        }
      }
    } catch {
      throw fail(error)
    }
    guard let limit = failIfWorse else { return }
    // A gate that could judge nothing has not passed.
    if let why = comparison.nothingJudged {
      printError("mpf compare: --fail-if-worse: \(why) experiments: nothing could be judged")
      throw ExitCode(ExitStatus.error.rawValue)
    }
    let unknown = comparison.results.filter { $0.direction == .unknown }.map(\.result)
    if !unknown.isEmpty {
      printError("mpf compare: cannot tell whether more \(unknown.joined(separator: ", ")) is better from its unit or its name: pass --higher-is-better or --lower-is-better")
      throw ExitCode(ExitStatus.error.rawValue)
    }
    let worse = comparison.worse(than: limit)
    if !worse.isEmpty {
      for (result, point, by) in worse {
        let said = comparison.results.first { $0.result == result }?.said(point) ?? "is worse"
        // From a mean of 0 no percentage measures the change: any significant worsening fails.
        let limitText = by.isFinite ? "limit \(NumberText.formatNumber(limit, digits: 3))%" : "from 0, no percentage is under the limit"
        printError("mpf compare: \(result) at \(comparison.pointName) = \(point.name) \(said) (\(limitText))")
      }
      throw ExitCode(ExitStatus.worse.rawValue)
    }
  }
}
