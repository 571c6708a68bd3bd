/// A place in a user's file: `iperf.lua:12`.
package struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  package var file: String
  package var line: Int

  package init(file: String, line: Int) {
    self.file = file
    self.line = line
  }

  package var description: String { line > 0 ? "\(file):\(line)" : file }

  /// Splits a leading `file:line: ` off a Lua error message, as `error(msg, 2)` and the Lua
  /// runtime write it. Returns nil when the message has no such prefix.
  package static func split(message: String) -> (location: SourceLocation, rest: String)? {
    // The file part may itself contain ':' (rare); take the first ":<digits>: " occurrence.
    let chars = Array(message)
    var i = 0
    while i < chars.count {
      if chars[i] == ":" {
        var j = i + 1
        while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
        if j > i + 1, j + 1 < chars.count, chars[j] == ":", chars[j + 1] == " ", i > 0 {
          let file = String(chars[0..<i])
          let line = Int(String(chars[(i + 1)..<j])) ?? 0
          return (SourceLocation(file: file, line: line), String(chars[(j + 2)...]))
        }
      }
      if chars[i] == "\n" { return nil }
      i += 1
    }
    return nil
  }
}
