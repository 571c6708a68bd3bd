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
/// the terminal as `printError` does. Data formats (CSV, JSON, YAML) are printed as they are.
func printText(_ text: String, terminator: String = "\n") {
  print(TerminalText.escaped(text, keepingLines: true), terminator: terminator)
}
