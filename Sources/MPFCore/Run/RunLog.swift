package import MPFText
/// A run's log as people read it (logs/run-NNNN.log).
package enum RunLog {
  /// The text of logs/run-NNNN.log: each function's commands, output and prints.
  package static func text(sections: [(title: String, log: [LogEntry])]) -> String? {
    let nonEmpty = sections.filter { !$0.log.isEmpty }
    guard !nonEmpty.isEmpty else { return nil }
    var text = ""
    for section in nonEmpty {
      text += "== \(section.title) ==\n"
      for entry in section.log {
        switch entry {
        case .print(let line): text += line + "\n"
        case .warning(let line): text += line + "\n"
        case .command(let c):
          text += "$ \(c.command)\(c.background ? " &" : "")    # \(c.location)\n"
          if !c.stdout.isEmpty { text += c.stdout.hasSuffix("\n") ? c.stdout : c.stdout + "\n" }
          if !c.stderr.isEmpty {
            text += c.stderr.lines().map { "stderr: " + $0 }.joined(separator: "\n") + "\n"
          }
          let code = c.exitCode.map { "exit \($0)" } ?? "still running at run end"
          text += "[\(code), \(NumberText.formatNumber(c.duration)) s]\n"
        }
      }
    }
    return text
  }
}
