internal import MPFCore

/// The exit statuses of mpf's commands, in one place (README.md lists them).
package enum ExitStatus: Int32, Sendable {
  /// Every run succeeded.
  case success = 0
  /// An error stopped the command (a script, cluster, ssh or results error).
  case error = 1
  /// The experiment ran, and some of its runs failed (the others are kept).
  case someRunsFailed = 3
  /// `mpf compare --fail-if-worse`: a point got worse by more than allowed.
  case worse = 4
  /// Stopped by Ctrl-C, as shells report SIGINT.
  case interrupted = 130
  /// Stopped by SIGTERM (or SIGHUP), as shells report SIGTERM.
  case terminated = 143
}

/// What the command line prints for an error that ended a command, and the status it exits with:
/// the one table from error to exit status.
package struct ErrorReport: Sendable {
  package var message: String
  package var status: ExitStatus

  /// - Parameter verbose: show Lua tracebacks (`-v`).
  package init(_ error: any Error, verbose: Bool = false) {
    switch error {
    case let diagnostic as Diagnostic:
      if let host = diagnostic.hostError {
        self.init(host, verbose: verbose)
        return
      }
      self.init(message: verbose ? diagnostic.verboseDescription : diagnostic.description, status: .error)
    case let stopped as ExperimentStopped:
      let status: ExitStatus = stopped.reason == .terminated ? .terminated : stopped.byInterrupt ? .interrupted : .error
      self.init(message: "mpf: \(stopped)", status: status)
    case let stopped as BisectStopped:
      let cause = ErrorReport(stopped.cause, verbose: verbose)
      self.init(message: cause.message + "\nnote: " + stopped.note, status: cause.status)
    case let problems as ScriptProblems:
      // Each line is a whole message already.
      self.init(message: problems.lines.joined(separator: "\n"), status: .error)
    case let raised as LuaRaise:
      self.init(message: "mpf: \(raised.message)", status: .error)
    default:
      self.init(message: "error: \(error)", status: .error)
    }
  }

  package init(message: String, status: ExitStatus) {
    self.message = message
    self.status = status
  }
}
