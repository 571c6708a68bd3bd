/// A cluster file that cannot be used, located at its line: `cluster.yaml:7: error: ...`.
package struct ClusterSpecError: Error, Sendable, CustomStringConvertible {
  package var file: String
  package var line: Int
  package var message: String
  package var notes: [String]

  package init(file: String, line: Int, _ message: String, notes: [String] = []) {
    self.file = file
    self.line = line
    self.message = message
    self.notes = notes
  }

  package var description: String {
    var text = line > 0 ? "\(file):\(line): error: \(message)" : "\(file): error: \(message)"
    for note in notes { text += "\nnote: \(note)" }
    return text
  }
}
