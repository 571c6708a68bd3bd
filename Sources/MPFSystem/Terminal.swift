/// What mpf asks of the terminal it writes to.
package enum Terminal {
  /// The width of the terminal on `fd`: its size, else `$COLUMNS`, else 80.
  package static func columns(_ fd: Descriptor = .standardOutput) -> Int {
    let size = system_terminalColumns(fd.raw)
    if size > 0 { return size }
    if let text = ThisProcess.environment("COLUMNS"), let columns = Int(text), columns > 0 { return columns }
    return 80
  }

  /// Whether to colour what goes to `fd`: a terminal that is not `dumb`, and no `NO_COLOR`.
  package static func wantsColour(_ fd: Descriptor = .standardOutput) -> Bool {
    guard fd.isTerminal, ThisProcess.environment("NO_COLOR") == nil else { return false }
    return ThisProcess.environment("TERM").map { $0 != "dumb" } ?? false
  }
}
