package import MPFText
/// A command run by `ex`: what ran, where in the script, and what came out.
package struct CommandRecord: Sendable, Equatable {
  package var command: String
  package var location: String
  package var background: Bool
  package var exitCode: Int32?
  package var stdout: String
  package var stderr: String
  package var duration: Double
  /// Whether the output was too long to keep whole (`stdout`/`stderr` hold its head and tail).
  package var cut = false

  /// A value with each property given.
  package init(command: String, location: String, background: Bool, exitCode: Int32? = nil, stdout: String, stderr: String, duration: Double) {
    self.command = command
    self.location = location
    self.background = background
    self.exitCode = exitCode
    self.stdout = stdout
    self.stderr = stderr
    self.duration = duration
  }
}

extension CommandRecord {
  /// What `ex` returns to Lua: `{lines = {...}, code = n, stderr = "..."}`.
  package var luaValue: LuaValue {
    .record([
      "lines": .list(stdout.lines().map { .string($0) }),
      "code": exitCode.map { .integer(Int64($0)) } ?? .nil,
      "stderr": .string(stderr),
      "cut": cut ? .boolean(true) : .nil,
    ])
  }
}
