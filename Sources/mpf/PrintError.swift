import MPFCore

/// Writes a message and a newline to standard error (failures ignored: nowhere else to say).
func printError(_ message: String) {
  try? Descriptor.standardError.write(Array((message + "\n").utf8))
}
