#if canImport(Glibc)
  internal import Glibc
#endif

/// A failed system call: what was attempted, on what, and errno's text.
package struct SystemError: Error, Sendable, CustomStringConvertible {
  package var operation: String
  package var path: String?
  package var code: Int32

  package init(_ operation: String, path: String? = nil, code: Int32 = errno) {
    self.operation = operation
    self.path = path
    self.code = code
  }

  package var description: String {
    let reason = String(cString: strerror(code))
    if let path { return "cannot \(operation) \(path): \(reason)" }
    return "cannot \(operation): \(reason)"
  }
}

/// Retries a call interrupted by a signal; returns its non-negative result or throws.
@discardableResult
package func syscall<T: FixedWidthInteger>(_ operation: String, path: String? = nil, _ body: () -> T) throws -> T {
  while true {
    let result = body()
    if result >= 0 { return result }
    if errno == EINTR { continue }
    throw SystemError(operation, path: path)
  }
}
