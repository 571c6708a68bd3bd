#if canImport(Glibc)
  internal import Glibc
#endif

/// A failed system call: what was attempted, on what, and errno's text.
public struct SystemError: Error, Sendable, CustomStringConvertible {
  public var operation: String
  public var path: String?
  public var code: Int32

  init(_ operation: String, path: String? = nil, code: Int32 = errno) {
    self.operation = operation
    self.path = path
    self.code = code
  }

  public var description: String {
    let reason = String(cString: strerror(code))
    if let path { return "cannot \(operation) \(path): \(reason)" }
    return "cannot \(operation): \(reason)"
  }
}

/// Retries a call interrupted by a signal; returns its non-negative result or throws.
@discardableResult
func syscall<T: FixedWidthInteger>(_ operation: String, path: String? = nil, _ body: () -> T) throws -> T {
  while true {
    let result = body()
    if result >= 0 { return result }
    if errno == EINTR { continue }
    throw SystemError(operation, path: path)
  }
}
