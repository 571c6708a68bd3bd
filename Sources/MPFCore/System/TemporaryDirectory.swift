#if canImport(Glibc)
  internal import Glibc
#endif

/// Private folders under /tmp (`mkdtemp`): the one place mpf makes one.
package enum TemporaryDirectory {
  /// Makes `/tmp/<prefix>-XXXXXX`, readable only by this user.
  ///
  /// - Throws: `SystemError` when /tmp cannot hold it.
  package static func make(_ prefix: String) throws -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
    }
    guard let made else { throw SystemError("create a temporary directory", path: "/tmp/\(prefix)-XXXXXX") }
    return made
  }
}
