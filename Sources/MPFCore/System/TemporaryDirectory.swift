#if canImport(Glibc)
  internal import Glibc
#endif

/// Private folders for temporary files (`mkdtemp`): the one place mpf makes one.
package enum TemporaryDirectory {
  /// `$TMPDIR` when it is set to an absolute path, else /tmp.
  package static var root: String {
    if let value = getenv("TMPDIR").map({ String(cString: $0) }), value.hasPrefix("/") {
      return value.count > 1 && value.hasSuffix("/") ? String(value.dropLast()) : value
    }
    return "/tmp"
  }

  /// Makes `ROOT/<prefix>-XXXXXX` (ROOT: `$TMPDIR` or /tmp), readable only by this user.
  ///
  /// - Throws: `SystemError` when it cannot be made.
  package static func make(_ prefix: String) throws -> String {
    let pattern = "\(root)/\(prefix)-XXXXXX"
    var template = Array(pattern.utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
    }
    guard let made else { throw SystemError("create a temporary directory", path: pattern) }
    return made
  }
}
