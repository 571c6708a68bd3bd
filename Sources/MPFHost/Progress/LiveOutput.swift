import Synchronization
internal import MPFSystem
internal import MPFText

/// What an interactive session (mpf repl, the notebook's `mpf repl --machine`) shows as it
/// comes: the lines workers send while a function runs (`[client] line`) and the controller's
/// own `ex` output: to standard output (above the progress bar of the experiment running now),
/// a command's errors to standard error. Every line is escaped: it comes from a node.
package enum LiveOutput {
  /// The progress bar on the screen now (the experiment running), which lines go above.
  private static let progress = Mutex<ProgressReporter?>(nil)

  /// Lines go above `reporter` until it is set again (nil once the experiment ended).
  static func showAbove(_ reporter: ProgressReporter?) { progress.withLock { $0 = reporter } }

  /// One line, from any thread; `worker` names where it comes from (nil: the controller).
  package static func write(_ line: String, from worker: String?, isError: Bool) {
    let text = (worker.map { "[\($0)] " } ?? "") + line
    if isError {
      FileSystem.writeStderr(TerminalText.escaped(text, keepingLines: false) + "\n")
    } else if let reporter = progress.withLock({ $0 }) {
      reporter.printAbove(text)
    } else {
      FileSystem.writeStdout(TerminalText.escaped(text, keepingLines: false) + "\n")
    }
  }
}
