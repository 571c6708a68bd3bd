#if canImport(Glibc)
  internal import Glibc
#endif
package import MPFCore
internal import MPFResults

/// Progress on stderr: a bar with ETA and the current values on a terminal, plain lines
/// otherwise (at most one a second, plus every failure and the last run).
package final class ProgressReporter: @unchecked Sendable {
  // @unchecked: used only by the orchestrator's run loop, one call at a time.
  private let total: Int
  private let isTerminal: Bool
  private let quiet: Bool
  private var done = 0
  private var failed = 0
  private let started = Clock.monotonic()
  private var lastDraw = 0.0

  package init(total: Int, quiet: Bool = false) {
    self.total = total
    self.quiet = quiet
    isTerminal = isatty(2) == 1 && getenv("TERM").map { String(cString: $0) != "dumb" } ?? false
  }

  /// A run is starting: redraw the bar with its values.
  package func starting(_ description: String) {
    guard isTerminal, !quiet else { return }
    let now = Clock.monotonic()
    guard now - lastDraw > 0.1 || done == 0 else { return }
    lastDraw = now
    draw(current: description)
  }

  /// A run has finished.
  package func finished(_ description: String, status: RunStatus, duration: Double) {
    done += 1
    if status != .ok { failed += 1 }
    guard !quiet else { return }
    if isTerminal {
      if status != .ok { FileSystem.writeStderr("\r\u{1B}[2K[\(done)/\(total)] \(description): \(status.rawValue)\n") }
      if done == total { FileSystem.writeStderr("\r\u{1B}[2K") }
      return
    }
    let now = Clock.monotonic()
    guard status != .ok || done == total || now - lastDraw >= 1 || total <= 50 else { return }
    lastDraw = now
    FileSystem.writeStderr("[\(done)/\(total)] \(description): \(status.rawValue) (\(DataFrame.formatWithPrefix(duration, unit: "s")))\n")
  }

  /// A message that must not be drawn over by the bar.
  package func message(_ text: String) {
    FileSystem.writeStderr((isTerminal ? "\r\u{1B}[2K" : "") + text + "\n")
  }

  private func draw(current: String) {
    let width = 24
    let filled = total > 0 ? width * done / total : width
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let percent = total > 0 ? 100 * done / total : 100
    var eta = "--"
    if done > 0 {
      let elapsed = Clock.monotonic() - started
      eta = ProgressReporter.duration(elapsed / Double(done) * Double(total - done))
    }
    let failures = failed > 0 ? "  \(failed) failed" : ""
    var line = "[\(bar)] \(done)/\(total) \(percent)%  ETA \(eta)\(failures)  \(current)"
    if line.count > 200 { line = String(line.prefix(199)) + "…" }
    FileSystem.writeStderr("\r\u{1B}[2K" + line)
  }

  package static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m\(String(s % 60).zeroPadded(to: 2))s" }
    return "\(s / 3600)h\(String(s % 3600 / 60).zeroPadded(to: 2))m"
  }
}
