internal import MPFCore
import MPFText

/// The list of what a copy brought into a build folder, kept beside it (`.BUILD.sources`): the
/// source's stamp, then one path a line, each written so that it stays one line and is never
/// the stamp's (a newline as `\n`, a carriage return as `\r`, a backslash as `\\`, `#` as
/// `\#`). What the source no longer has is removed from the folder by `removal`, and only
/// paths inside it ever are.
package enum CopiedFiles {
  package static let stampPrefix = "# mpf stamp "

  package static func text(stamp: String, paths: [String]) -> String {
    stampPrefix + stamp + "\n" + paths.map { escaped($0) + "\n" }.joined()
  }

  /// The stamp and paths of a list `text` wrote; a path that would lead out of the folder (an
  /// absolute one, `..`, from a list written before paths were escaped) is left out.
  package static func read(_ text: String) -> (stamp: String?, paths: [String]) {
    let lines = text.unicodeScalars.split(separator: "\n").map { String(String.UnicodeScalarView($0)) }
    let stamp = lines.first.flatMap { $0.hasPrefix(stampPrefix) ? String($0.dropFirst(stampPrefix.count)) : nil }
    let paths = lines.filter { !$0.hasPrefix("#") }.map(unescaped).filter(isInside)
    return (stamp, paths)
  }

  /// Whether `path` names something inside a folder: relative, without empty, `.` or `..`
  /// components.
  package static func isInside(_ path: String) -> Bool {
    !path.isEmpty && !path.hasPrefix("/") && path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !["", ".", ".."].contains($0) }
  }

  /// An `sh` command removing `paths` (inside the current folder) without ever going through a
  /// symbolic link: a path is removed only when its folder, resolved, is where the path says.
  package static func removal(_ paths: [String]) -> String {
    let words = paths.filter(isInside).map(ShellQuote.quote).joined(separator: " ")
    return """
      r=$(pwd -P) && for p in \(words); do d=${p%/*}; [ "$d" = "$p" ] && d=.; \
      if [ "$d" = . ] || [ "$(cd -P -- "$d" 2>/dev/null && pwd -P)" = "$r/$d" ]; then rm -f -- "$p"; fi; done
      """
  }

  /// By Unicode scalar: `\r\n` is one Character, and must become `\\r\\n`.
  private static func escaped(_ path: String) -> String {
    var result = String.UnicodeScalarView()
    for scalar in path.unicodeScalars {
      switch scalar {
      case "\\": result.append(contentsOf: "\\\\".unicodeScalars)
      case "\n": result.append(contentsOf: "\\n".unicodeScalars)
      case "\r": result.append(contentsOf: "\\r".unicodeScalars)
      case "#": result.append(contentsOf: "\\#".unicodeScalars)  // never read as the stamp's line
      default: result.append(scalar)
      }
    }
    return String(result)
  }

  private static func unescaped(_ line: String) -> String {
    var result = String.UnicodeScalarView()
    var escaping = false
    for scalar in line.unicodeScalars {
      if escaping {
        result.append(scalar == "n" ? "\n" : scalar == "r" ? "\r" : scalar)
        escaping = false
      } else if scalar == "\\" {
        escaping = true
      } else {
        result.append(scalar)
      }
    }
    return String(result)
  }
}
