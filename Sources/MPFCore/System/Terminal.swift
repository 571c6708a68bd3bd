#if canImport(Glibc)
  internal import Glibc
#endif
internal import CSystem

/// What mpf asks of the terminal it writes to.
package enum Terminal {
  /// The width of the terminal on `fd`: its size, else `$COLUMNS`, else 80.
  package static func columns(_ fd: Int32 = 1) -> Int {
    let size = Int(csystem_terminal_columns(fd))
    if size > 0 { return size }
    if let text = getenv("COLUMNS").map({ String(cString: $0) }), let columns = Int(text), columns > 0 { return columns }
    return 80
  }

  /// Whether to colour what goes to `fd`: a terminal that is not `dumb`, and no `NO_COLOR`.
  package static func wantsColour(_ fd: Int32 = 1) -> Bool {
    guard isatty(fd) == 1, getenv("NO_COLOR") == nil else { return false }
    return getenv("TERM").map { String(cString: $0) != "dumb" } ?? false
  }
}
