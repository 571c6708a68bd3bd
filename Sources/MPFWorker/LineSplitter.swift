/// Cuts a command's output, as it comes, into lines for `Shell.onLine`: what an interactive
/// session (mpf repl, the notebook) shows while the command runs. A line longer than
/// `longest` bytes is given in pieces; what is left at the end is given by `finish`.
package struct LineSplitter {
  private var partial: [[UInt8]] = [[], []]
  private let onLine: (_ line: String, _ isError: Bool) -> Void
  package static let longest = 64 << 10

  init(_ onLine: @escaping (_ line: String, _ isError: Bool) -> Void) { self.onLine = onLine }

  /// Output of the command's standard error (`isError`) or output.
  mutating func take(_ bytes: ArraySlice<UInt8>, isError: Bool) {
    let stream = isError ? 1 : 0
    for byte in bytes {
      if byte == 10 || partial[stream].count >= Self.longest {
        onLine(String(decoding: partial[stream], as: UTF8.self), isError)
        partial[stream].removeAll(keepingCapacity: true)
        if byte == 10 { continue }
      }
      partial[stream].append(byte)
    }
  }

  /// The command ended: its last lines without a newline.
  mutating func finish() {
    for stream in 0..<2 where !partial[stream].isEmpty {
      onLine(String(decoding: partial[stream], as: UTF8.self), stream == 1)
      partial[stream].removeAll()
    }
  }
}
