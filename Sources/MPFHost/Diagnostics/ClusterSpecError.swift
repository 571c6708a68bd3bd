/// A cluster file that cannot be used, located at its line: `cluster.yaml:7: error: ...`.
public struct ClusterSpecError: Error, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var message: String
  public var notes: [String]

  public init(file: String, line: Int, _ message: String, notes: [String] = []) {
    self.file = file
    self.line = line
    self.message = message
    self.notes = notes
  }

  public var description: String {
    var text = line > 0 ? "\(file):\(line): error: \(message)" : "\(file): error: \(message)"
    for note in notes { text += "\nnote: \(note)" }
    return text
  }
}
