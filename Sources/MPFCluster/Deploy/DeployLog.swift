internal import MPFCore
import MPFText

/// One machine's deployment log (`logs/deploy-MACHINE.log`): each command with its output,
/// exit status and time; the step in progress; and the message of a failure, which names the
/// machine and ends with the output's last lines and the log's path.
final class DeployLog {
  let machine: String
  /// What runs now, as the log names it: said when mpf is told to stop.
  var step = "its first command"
  private var text = ""
  private var path = ""
  private let write: (_ machine: String, _ text: String) throws -> String

  init(machine: String, write: @escaping (String, String) throws -> String) {
    self.machine = machine
    self.write = write
  }

  /// Adds a command that ran: what it was, its output, its exit status and time.
  func record(_ what: String, _ output: CommandOutput, seconds: Double) {
    text += "$ \(what)\n\(output.stdout)\(output.stderr)[exit \(output.status), \(Deployer.seconds(seconds)) s]\n\n"
  }

  /// Writes the log into the results; returns its path there (empty if it could not be written).
  @discardableResult
  func save() -> String {
    path = (try? write(machine, text)) ?? ""
    return path
  }

  /// The error for `message` (the log saved first): `output`'s last lines and the log's path as notes.
  /// - Parameter kind: `.machine` when the machine, not the software, failed (lost, unreachable).
  func failure(_ message: String, _ output: CommandOutput? = nil, software: Software? = nil, kind: Diagnostic.Kind = .usage) -> Diagnostic {
    save()
    var notes: [String] = []
    if let output {
      // The last lines, each cut to what a terminal shows: one line may be megabytes.
      let tail = (output.stdout + output.stderr).lines().suffix(12).map { line in
        "  " + (line.count > 300 ? String(line.prefix(300)) + "... (\(line.utf8.count) bytes)" : line).escapingControlCharacters
      }
      if !tail.isEmpty { notes.append("its last lines:\n" + tail.joined(separator: "\n")) }
    }
    if !path.isEmpty { notes.append("the whole log: \(path)") }
    return Diagnostic(kind, "deploying on \(machine): \(message)", at: software?.location, notes: notes)
  }
}
