/// An error in a user's experiment script, located at the user's line.
///
/// Its description reads like a compiler's: `iperf.lua:12: error: unknown role 'srv'`, followed by
/// `note:` lines. The Lua traceback is kept for `--verbose`.
package struct ScriptError: Error, Sendable, Hashable, CustomStringConvertible {
  package enum Kind: String, Sendable, Hashable {
    case syntax, runtime, usage, io
  }

  package var kind: Kind
  package var message: String
  package var location: SourceLocation?
  package var notes: [String]
  package var traceback: String?

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

  /// Builds an error from the raw Lua message: a leading `file:line: ` wins over `fallback`.
  package init(kind: Kind, luaMessage: String, fallback: SourceLocation?, traceback: String?) {
    if let (location, rest) = SourceLocation.split(message: luaMessage) {
      self.init(kind, rest, at: location, traceback: traceback)
    } else {
      self.init(kind, luaMessage, at: fallback, traceback: traceback)
    }
  }

  package var description: String {
    var text = location.map { "\($0): error: \(message)" } ?? "error: \(message)"
    for note in notes { text += "\nnote: \(note)" }
    return text
  }

  /// The description plus the Lua traceback, for `--verbose`.
  package var verboseDescription: String {
    guard let traceback, !traceback.isEmpty else { return description }
    return description + "\n" + traceback
  }
}
