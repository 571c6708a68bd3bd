/// A stop during a probe of `mpf bisect` (Ctrl-C, SIGTERM, a machine lost, a probe another mpf
/// is writing): never the commit's doing, so the whole bisect stops there. It is reported as
/// its cause is (message and exit status), with a note that the same command goes on from the
/// probes stored so far.
package struct BisectStopped: Error, CustomStringConvertible {
  package var cause: any Error
  /// The commit whose probe was stopped.
  package var commit: String

  package init(_ cause: any Error, commit: String) {
    (self.cause, self.commit) = (cause, commit)
  }

  package var note: String {
    "mpf bisect stopped at its probe of \(commit.prefix(10)); running the same command again goes on from the stored probes"
  }

  package var description: String { "\(cause)\nnote: \(note)" }
}
