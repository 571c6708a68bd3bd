package import MPFText
/// A mistake in something the user wrote, located at its line: the one error type for scripts,
/// cluster files and stored results.
///
/// Its description reads like a compiler's: `iperf.lua:12: error: unknown role 'srv'`, followed by
/// `note:` lines. The Lua traceback is kept for `--verbose`.
package struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
  package enum Kind: String, Sendable, Hashable {
    /// The script does not parse.
    case syntax
    /// The script raised an error while running.
    case runtime
    /// The script misused mpf's API.
    case usage
    /// A file could not be read or written.
    case io
    /// The cluster file is wrong, or lacks what the script needs.
    case cluster
    /// A stored experiment cannot be read back.
    case results
    /// A function ran past its `timeout`.
    case timeout
    /// A machine could not be reached, or was lost while mpf worked on it.
    case machine
  }

  package var kind: Kind
  package var message: String
  package var location: SourceLocation?
  package var notes: [String]
  package var traceback: String?
  /// The host's own error (a cluster, ssh or disk failure) that was raised through Lua from a
  /// function the script called: reported as itself rather than as a script error.
  package var hostError: (any Error)?

  package init(
    _ kind: Kind, _ message: String, at location: SourceLocation? = nil, notes: [String] = [],
    traceback: String? = nil
  ) {
    self.kind = kind
    self.message = message
    self.location = location
    self.notes = notes
    self.traceback = traceback
  }

  /// A cluster file error at `line` of `file` (0: the file as a whole).
  package init(cluster file: String, line: Int, _ message: String, notes: [String] = []) {
    self.init(.cluster, message, at: SourceLocation(file: file, line: line), notes: notes)
  }

  /// Builds an error from the raw Lua message: a leading `file:line: ` wins over `fallback`.
  package init(kind: Kind, luaMessage: String, fallback: SourceLocation?, traceback: String?) {
    if let (location, rest) = SourceLocation.split(message: luaMessage) {
      // coroutine.wrap puts the place in front of an error that already has it: said once.
      let again = "\(location): "
      self.init(kind, rest.hasPrefix(again) ? String(rest.dropFirst(again.count)) : rest, at: location, traceback: traceback)
    } else {
      self.init(kind, luaMessage, at: fallback, traceback: traceback)
    }
  }

  package var description: String {
    // Shown on a terminal: what came from a script or a node is escaped (TerminalText).
    let shown = TerminalText.escaped(message, keepingLines: true)
    var text = location.map { "\(TerminalText.escaped("\($0)")): error: \(shown)" } ?? "error: \(shown)"
    for note in notes { text += "\nnote: \(TerminalText.escaped(note, keepingLines: true))" }
    return text
  }

  /// The description plus the Lua traceback, for `--verbose`.
  package var verboseDescription: String {
    guard let traceback, !traceback.isEmpty else { return description }
    return description + "\n" + TerminalText.escaped(traceback, keepingLines: true)
  }

  /// `file:line: message`, as stored in a failed run's `error`.
  package var locatedMessage: String { location.map { "\($0): \(message)" } ?? message }

  package static func == (a: Diagnostic, b: Diagnostic) -> Bool {
    a.kind == b.kind && a.message == b.message && a.location == b.location && a.notes == b.notes && a.traceback == b.traceback
  }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(kind)
    hasher.combine(message)
    hasher.combine(location)
  }
}
