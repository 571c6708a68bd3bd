import Synchronization
package import MPFCore
internal import MPFResults
package import MPFSystem
package import MPFText

/// Progress on stderr: a bar with ETA and the current values on a terminal, plain lines
/// otherwise (at most one a second, plus every failure and the last run).
///
/// The run loop and the Ctrl-C watcher both write through it, so its state sits in a mutex.
package final class ProgressReporter: Sendable {
  private let isTerminal: Bool
  private let quiet: Bool
  private let started = Clock.monotonic()
  private let state = Mutex(State())

  private struct State {
    /// Runs known so far (adaptive repetitions add rounds: it grows).
    var total = 0
    var done = 0
    var failed = 0
    var lastDraw = 0.0
    var warned: Set<String> = []
    /// The values shown on the bar now (nil: no bar on the screen).
    var shown: String?
    /// The most runs there can be (adaptive repetitions: every point to its max), when more
    /// than `total` may come.
    var maximum: Int?
  }

  /// The most runs there can be, shown beside the count (`12/16 (≤ 40)`).
  package var maximum: Int? {
    get { state.withLock { $0.maximum } }
    set { state.withLock { $0.maximum = newValue } }
  }

  package init(total: Int, quiet: Bool = false) {
    state.withLock { $0.total = total }
    self.quiet = quiet
    isTerminal = Descriptor.standardError.isTerminal && ThisProcess.environment("TERM").map { $0 != "dumb" } ?? false
  }

  /// A run is starting: redraw the bar with its values.
  package func starting(_ description: String) {
    guard isTerminal, !quiet else { return }
    state.withLock { state in
      let now = Clock.monotonic()
      guard now - state.lastDraw > 0.1 || state.done == 0 else { return }
      state.lastDraw = now
      state.shown = description
      draw(current: description, state)
    }
  }

  /// What the script prints while the bar is on the screen: the bar is cleared, the text
  /// written to standard output, and the bar drawn again below it.
  package func printAbove(_ text: String) {
    let text = TerminalText.escaped(text, keepingLines: true)
    state.withLock { state in
      guard isTerminal, !quiet, let shown = state.shown else {
        FileSystem.writeStdout(text + "\n")
        return
      }
      FileSystem.writeStderr("\r\u{1B}[2K")
      FileSystem.writeStdout(text + "\n")
      draw(current: shown, state)
    }
  }

  /// A run has finished.
  package func finished(_ description: String, status: RunStatus, duration: Double) {
    let description = TerminalText.escaped(description)
    state.withLock { state in
      state.done += 1
      state.total = max(state.total, state.done)
      if status != .ok { state.failed += 1 }
      guard !quiet else { return }
      let done = state.done
      let total = state.total
      if isTerminal {
        if status != .ok { FileSystem.writeStderr("\r\u{1B}[2K[\(done)/\(total)] \(description): \(status.rawValue)\n") }
        if done == total {
          FileSystem.writeStderr("\r\u{1B}[2K")
          state.shown = nil
        }
        return
      }
      let now = Clock.monotonic()
      guard status != .ok || done == total || now - state.lastDraw >= 1 || total <= 50 else { return }
      state.lastDraw = now
      let bound = state.maximum.map { $0 > total ? " (≤ \($0))" : "" } ?? ""
      FileSystem.writeStderr(
        "[\(done)/\(total)\(bound)] \(description): \(status.rawValue) (\(DataFrame.formatWithPrefix(duration, unit: "s")))\n")
    }
  }

  /// A message that must not be drawn over by the bar.
  package func message(_ text: String) {
    let text = TerminalText.escaped(text, keepingLines: true)
    state.withLock { state in
      FileSystem.writeStderr((isTerminal ? "\r\u{1B}[2K" : "") + text + "\n")
      if isTerminal, !quiet, let shown = state.shown { draw(current: shown, state) }
    }
  }

  /// A warning, said once per experiment however many runs raise it.
  package func warning(_ text: String) {
    guard state.withLock({ $0.warned.insert(text).inserted }) else { return }
    message(text)
  }

  /// More runs than first planned (a new round of adaptive repetitions).
  package func expect(atLeast total: Int) {
    state.withLock { $0.total = max($0.total, total) }
  }

  private func draw(current: String, _ state: State) {
    let total = state.total
    let width = 24
    let filled = total > 0 ? width * state.done / total : width
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let percent = total > 0 ? 100 * state.done / total : 100
    var eta = "--"
    if state.done > 0 {
      let elapsed = Clock.monotonic() - started
      eta = ProgressReporter.duration(elapsed / Double(state.done) * Double(total - state.done))
    }
    let failures = state.failed > 0 ? "  \(state.failed) failed" : ""
    let bound = state.maximum.map { $0 > total ? " (≤ \($0))" : "" } ?? ""
    var line = "[\(bar)] \(state.done)/\(total)\(bound) \(percent)%  ETA \(eta)\(failures)  \(TerminalText.escaped(current))"
    if line.count > 200 { line = String(line.prefix(199)) + "…" }
    FileSystem.writeStderr("\r\u{1B}[2K" + line)
  }

  package static func duration(_ seconds: Double) -> String {
    let s = NumberBounds.clampedInt(seconds, to: 0...Int.max / 2, nan: 0)
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m\(String(s % 60).zeroPadded(to: 2))s" }
    return "\(s / 3600)h\(String(s % 3600 / 60).zeroPadded(to: 2))m"
  }
}
