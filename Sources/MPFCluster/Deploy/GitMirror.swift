internal import MPFCore
import MPFSystem
import MPFText

/// The controller's mirror of a git repository (`~/.cache/mpf/git/<hash of the url>.git`):
/// what deploying a git `mpf.software` fetches into and exports commits from, and where
/// `mpf bisect` reads the history between two refs.
package enum GitMirror {
  /// One commit of a first-parent history.
  package struct Commit: Sendable, Equatable {
    package var hash: String
    /// Its subject line, as git gives it (a hostile repository's text: escape it to show it).
    package var subject: String
  }

  /// The mirror's folder for `url`.
  package static func path(of url: String) -> String {
    FileSystem.join(SoftwareSource.controllerCache(), "git/" + String(SHA256.hex(Array(url.utf8)).prefix(16)) + ".git")
  }

  /// The command that brings the mirror up to date with `url` (a clone when there is none).
  static func fetchCommand(_ url: String, mirror: String) -> [String] {
    FileSystem.isDirectory(mirror)
      ? ["git", "-C", mirror, "fetch", "--quiet", "--prune", "--force", url, "+refs/*:refs/*"]
      : ["git", "clone", "--quiet", "--mirror", url, mirror]
  }

  /// Fetches `url` into its mirror, now, from this thread.
  ///
  /// - Returns: the mirror's folder.
  /// - Throws: `Diagnostic` saying what git said.
  package static func update(_ url: String) throws -> String {
    let mirror = path(of: url)
    try FileSystem.createDirectory(FileSystem.dirname(mirror))
    try git(fetchCommand(url, mirror: mirror), "cannot fetch \(url)")
    return mirror
  }

  /// The commit `ref` names in `mirror`.
  ///
  /// - Throws: `Diagnostic` when it names none (or looks like an option).
  package static func commit(_ ref: String, in mirror: String, url: String) throws -> String {
    guard !ref.hasPrefix("-"), !ref.isEmpty else { throw Diagnostic(.usage, "'\(ref.escapingControlCharacters)' is not a git ref") }
    let output = try git(["git", "-C", mirror, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"], nil)
    guard output.status == 0, let hash = output.stdout.lines().first, !hash.isEmpty else {
      throw Diagnostic(.usage, "'\(ref.escapingControlCharacters)' is not a branch, tag or commit of \(url)")
    }
    return hash
  }

  /// The first-parent history from `good` to `bad`, both included, oldest first.
  ///
  /// - Throws: `Diagnostic` when `good` is not an ancestor of `bad` on its first-parent line.
  package static func firstParentHistory(in mirror: String, from good: String, to bad: String) throws -> [Commit] {
    guard good != bad else {
      throw Diagnostic(.usage, "the good and bad refs are one commit, \(good.prefix(12)): give --bad a later commit")
    }
    let output = try git(["git", "-C", mirror, "log", "--first-parent", "--reverse", "--format=%H%x09%s", "\(good)..\(bad)"], "cannot read the history")
    let later = output.stdout.lines().compactMap { line -> Commit? in
      guard let tab = line.firstIndex(of: "\t") else { return nil }
      return Commit(hash: String(line[..<tab]), subject: String(line[line.index(after: tab)...]))
    }
    let subject = try git(["git", "-C", mirror, "log", "-1", "--format=%s", good], "cannot read \(good)").stdout.trimmed()
    let ancestor = try git(["git", "-C", mirror, "merge-base", "--is-ancestor", good, bad], nil)
    guard ancestor.status == 0, let oldest = later.first else {
      throw Diagnostic(.usage, "the good commit \(good.prefix(12)) is not an ancestor of the bad one \(bad.prefix(12)): give --good an older commit of --bad's history")
    }
    // On a side branch merged later, good..bad's first-parent walk never reaches it.
    let parent = try git(["git", "-C", mirror, "rev-parse", "--verify", "--quiet", oldest.hash + "^1"], nil).stdout.trimmed()
    guard parent == good else {
      throw Diagnostic(
        .usage, "the good commit \(good.prefix(12)) is on a branch merged into the bad one's history, not on its first-parent line: give --good a commit of `git log --first-parent \(bad.prefix(12))`")
    }
    return [Commit(hash: good, subject: subject)] + later
  }

  /// Runs git; a failure throws `what` with git's last lines, unless `what` is nil.
  @discardableResult
  private static func git(_ arguments: [String], _ what: String?) throws -> CommandOutput {
    let output = try LocalProgram.run(arguments, input: nil, newProcessGroup: false)
    if let what, output.status != 0 {
      let said = reason(output.stderr)
      throw Diagnostic(.usage, "\(what): \(said.isEmpty ? "git's exit status \(output.status)" : said)")
    }
    return output
  }

  /// What git said went wrong: its `fatal:` and `error:` lines but the generic trailer of a
  /// failed fetch ("Could not read from remote repository", "Please make sure you have the
  /// correct access rights", which hid "fatal: invalid gitfile format"), at most three; else
  /// its last three lines.
  package static func reason(_ stderr: String) -> String {
    let lines = stderr.lines().filter { !$0.trimmed().isEmpty }
    let said = lines.filter { ($0.hasPrefix("fatal:") || $0.hasPrefix("error:")) && !$0.contains("Could not read from remote repository") }
    return (said.isEmpty ? Array(lines.suffix(3)) : Array(said.prefix(3))).joined(separator: " ")
  }
}
