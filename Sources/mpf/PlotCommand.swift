import ArgumentParser
import MPFCore
import MPFGraphs
import MPFHost
import MPFReport
import MPFResults
import MPFSystem
import MPFText

/// `mpf plot DIR...`: graphs of stored experiments, as files or in the terminal.
struct PlotCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plot",
    abstract: "Draw graphs of stored experiments.",
    discussion: """
      With one experiment, the graphs go to DIR/graphs (or --out); with several, each experiment \
      is a series and the graphs go to the current folder (or --out). Each SVG has beside it the \
      CSV of what it draws and a matplotlib script that redraws it.
        mpf plot mpf_experiments/3f9a2c1e                 every numeric result
        mpf plot 3f9a2c1e --y goodput --x parallel --term in the terminal
        mpf plot before/ after/ --y latency --kind box    two experiments compared
      """
  )

  @OptionGroup var experiments: ExperimentsArgument

  @Option(help: "The result to draw (default: every numeric result).")
  var y: String?

  @Option(help: "The variable on the x axis (default: the numeric variable with most values).")
  var x: String?

  @Option(help: "Variables that become series, comma-separated (default: the others that vary).")
  var by: String?

  @Option(help: "line, bar, box, violin, cdf, heatmap or scatter (default: line for a numeric x, else bar).")
  var kind: String?

  @Flag(help: "A logarithmic x axis.")
  var logx = false

  @Flag(help: "A logarithmic y axis.")
  var logy = false

  @Option(help: "The folder the files are written to.")
  var out: String?

  @Flag(help: "Draw in the terminal (Unicode braille) instead of writing files.")
  var term = false

  func run() throws {
    do {
      guard let kindValue = kind.map({ Figure.Kind(rawValue: $0) }) ?? .some(nil) else {
        throw ValidationError("--kind \(kind ?? ""): expected one of \(Figure.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      let experiments = try self.experiments.directories.map(StoredExperiment.loadSayingSkipped)
      var request = PlotRequest(y: y ?? "", x: x, by: by.map { $0.split(separator: ",").map { String($0).trimmed() } }, kind: kindValue)
      if logx { request.logX = true }
      if logy { request.logY = true }
      let figures = try StoredPlots.figures(experiments, request: request)
      if term {
        let colour = Terminal.wantsColour()
        let text = figures.map { TerminalFigure($0.figure, width: min(Terminal.columns(), 120), colour: colour).render() }
        FileSystem.writeStdout(text.joined(separator: "\n"))
        return
      }
      // An experiment's graphs/ is reached without following links; --out is the user's own.
      let folder =
        try out.map { try Directory.open($0, creating: true) }
        ?? (experiments.count == 1 ? Directory.open(experiments[0].directory).subdirectory("graphs") : Directory.open("."))
      for (result, figure) in figures {
        let name = request.x.map { "\(result)-by-\($0)" } ?? result
        let path = try FigureFiles.write(figure, in: folder, name: request.kind.map { "\(name)-\($0.rawValue)" } ?? name)
        printText(path)
      }
    } catch let error as ValidationError {
      throw error
    } catch {
      throw fail(error)
    }
  }
}

/// `mpf report DIR...`: draws report.html and the graphs again from stored results.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Draw report.html and graphs/ again."
  )

  @OptionGroup var experiments: ExperimentsArgument

  func run() throws {
    do {
      for directory in experiments.directories {
        let stored = try StoredExperiment.loadSayingSkipped(directory)
        printText(try ReportPage(stored).write())
      }
    } catch {
      throw fail(error)
    }
  }
}
