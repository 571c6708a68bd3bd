#if canImport(Glibc)
  internal import Glibc
#endif

/// This mpf process, as the lock of an experiment it writes names it.
package enum ThisProcess {
  package static var id: Int { Int(getpid()) }

  /// The machine's host name (`gethostname`), "" when it cannot be read.
  package static var hostName: String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
