#if canImport(Glibc)
  import Glibc
#endif

/// Writes a message and a newline to standard error.
func printError(_ message: String) {
  var bytes = Array((message + "\n").utf8)
  var offset = 0
  while offset < bytes.count {
    let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
    if n <= 0 { break }
    offset += n
  }
}
