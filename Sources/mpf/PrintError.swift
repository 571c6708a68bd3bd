import MPFCore
import MPFSystem
import MPFText

/// Writes a message and a newline to standard error (failures ignored: nowhere else to say),
/// escaped for the terminal (`TerminalText`): messages carry names and text from scripts,
/// results and nodes.
func printError(_ message: String) {
  try? Descriptor.standardError.write(Array((TerminalText.escaped(message, keepingLines: true) + "\n").utf8))
}

/// Writes text for a person (a table, a comparison, a path) to standard output, escaped for
/// the terminal as `printError` does.
func printText(_ text: String, terminator: String = "\n") {
  print(TerminalText.escaped(text, keepingLines: true), terminator: terminator)
}

/// Writes a line of progress (`mpf bisect`'s probe as it ends) at once, as printText does: into
/// a file or a pipe too, where standard output is otherwise held until the command ends.
func printProgress(_ text: String) {
  FileSystem.writeStdout(TerminalText.escaped(text, keepingLines: true) + "\n")
}

/// Writes a data format (CSV, JSON, YAML) to standard output: as it is into a file or a pipe (a
/// program reads it), escaped as `printText` does when a person reads it at a terminal, so a
/// stored value cannot drive the terminal.
func printData(_ text: String) {
  if Descriptor.standardOutput.isTerminal {
    print(TerminalText.escaped(text, keepingLines: true), terminator: "")
  } else {
    print(text, terminator: "")
  }
}
