/// Private folders for temporary files (`mkdtemp`): the one place mpf makes one.
package enum TemporaryDirectory {
  /// `$TMPDIR` when it is set to an absolute path, else /tmp.
  package static var root: String {
    if let value = ThisProcess.environment("TMPDIR"), value.hasPrefix("/") {
      return value.count > 1 && value.hasSuffix("/") ? String(value.dropLast()) : value
    }
    return "/tmp"
  }

  /// Makes `ROOT/<prefix>-XXXXXX` (ROOT: `$TMPDIR` or /tmp), readable only by this user.
  ///
  /// - Throws: `SystemError` when it cannot be made.
  package static func make(_ prefix: String) throws -> String {
    try FileSystem.makeTemporaryDirectory("\(root)/\(prefix)-XXXXXX")
  }
}
