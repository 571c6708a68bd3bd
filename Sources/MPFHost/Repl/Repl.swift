internal import MPFCore
internal import MPFScript
import Synchronization
import MPFSystem
import MPFText

/// `mpf repl`: a Lua prompt with mpf loaded, as the `lua` interpreter has one: an expression
/// is printed, an incomplete chunk asks for more lines, history is kept across sessions, Tab
/// completes names. Ctrl-C stops what the prompt runs (a loop, an `ex`, an experiment) and
/// never the prompt; Ctrl-D leaves. With a script, the script is loaded up to its
/// `mpf.run_experiment`, which the prompt then runs (as often as wanted).
package final class Repl {
  private let runner: ExperimentRunner
  private let reader: LineReader
  private let options: RunOptions
  private let shared: SharedRunner

  /// - Parameter historyPath: nil for the default (`$XDG_STATE_HOME/mpf/history`).
  package init(options: RunOptions, historyPath: String? = nil) {
    self.options = options
    runner = ExperimentRunner(options: options)
    shared = SharedRunner(runner)
    reader = LineReader(historyPath: historyPath ?? LineReader.defaultHistoryPath)
  }

  /// Runs the prompt until the end of input.
  ///
  /// - Returns: the exit status: 0, or 1 when input that is not a terminal had an error (it
  ///   stops there, as `lua < file` does).
  /// - Throws: what stops the session before the prompt (a cluster file or script that fails).
  package func run() throws -> ExitStatus {
    defer { runner.close() }
    let stoppedAt = try runner.openInteractive()
    if reader.interactive {
      var banner = "mpf \(MPFVersion.current) repl: Lua 5.4 with mpf loaded. Tab completes, Ctrl-C stops what runs, Ctrl-D leaves."
      if let line = stoppedAt {
        banner += "\n\(options.scriptPath) is loaded up to its mpf.run_experiment (line \(line)): mpf.run_experiment() runs it."
      } else if FileSystem.exists(options.scriptPath) {
        banner += "\n\(options.scriptPath) is loaded."
      }
      FileSystem.writeStderr(banner + "\n")
    }
    LineReader.completer = { [runner] word in runner.completions(of: word) }
    shared.forwardInterrupts()
    defer { Interrupts.restore() }
    var chunk = ""
    while true {
      let input = reader.read(prompt: chunk.isEmpty ? "> " : ">> ")
      guard input != .end else { break }
      guard case .line(let line) = input else {
        // Ctrl-C at the prompt: the line (and an unfinished chunk) is dropped, the session stays.
        FileSystem.writeStderr("\n")
        chunk = ""
        continue
      }
      chunk += chunk.isEmpty ? line : "\n" + line
      if chunk.trimmed().isEmpty {
        chunk = ""
        continue
      }
      let evaluation: ExperimentScript.Evaluation = shared.running {
        do {
          return try runner.evaluate(chunk)
        } catch {
          return .failed(ErrorReport(error).message, ran: nil)
        }
      }
      switch evaluation {
      case .incomplete:
        continue
      case .ran(let output, _):
        reader.remember(chunk)
        if !output.isEmpty { FileSystem.writeStdout(TerminalText.escaped(output, keepingLines: true) + "\n") }
      case .failed(let message, _):
        reader.remember(chunk)
        FileSystem.writeStderr(TerminalText.escaped(message, keepingLines: true) + "\n")
        if !reader.interactive { return .error }
      }
      chunk = ""
    }
    if !chunk.isEmpty {
      FileSystem.writeStderr("mpf repl: the input ended inside an unfinished chunk\n")
      return .error
    }
    if reader.interactive { FileSystem.writeStderr("\n") }
    return .success
  }
}
