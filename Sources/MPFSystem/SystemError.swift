#if canImport(Glibc)
  internal import Glibc
#endif

/// An error number (`errno`) with the names mpf tests for, so that code outside the system
/// layer needs no C header.
package struct Errno: RawRepresentable, Hashable, Sendable, Error, CustomStringConvertible {
  package var rawValue: Int32
  package init(rawValue: Int32) { self.rawValue = rawValue }

  /// The calling thread's `errno` now.
  package static var current: Errno { Errno(rawValue: errno) }

  /// `EINTR`: a signal interrupted the call.
  package static let interrupted = Errno(rawValue: EINTR)
  /// `EEXIST`: the file already exists.
  package static let exists = Errno(rawValue: EEXIST)
  /// `ENOENT`: no such file or directory.
  package static let noEntry = Errno(rawValue: ENOENT)
  /// `EAGAIN` (= `EWOULDBLOCK`): nothing to read now, or the lock is held.
  package static let wouldBlock = Errno(rawValue: EWOULDBLOCK)
  /// `EBUSY`: the resource is in use (a cgroup with processes).
  package static let busy = Errno(rawValue: EBUSY)
  /// `ELOOP`: a symbolic link where `O_NOFOLLOW` allows none.
  package static let tooManyLinks = Errno(rawValue: ELOOP)
  /// `ENOTDIR`: a component that should be a directory is not one.
  package static let notDirectory = Errno(rawValue: ENOTDIR)
  /// `EINVAL`: an invalid argument.
  package static let invalid = Errno(rawValue: EINVAL)
  /// `EBADF`: not an open descriptor.
  package static let badDescriptor = Errno(rawValue: EBADF)
  /// `ENXIO`: a FIFO opened for writing without a reader, a device that is not there.
  package static let noDevice = Errno(rawValue: ENXIO)

  /// `strerror`'s text.
  package var description: String { String(cString: strerror(rawValue)) }
}

/// A failed system call: what was attempted, on what, and errno's text; or a path mpf refuses
/// to use, with why.
package struct SystemError: Error, Sendable, CustomStringConvertible {
  package var operation: String
  package var path: String?
  package var code: Errno
  /// Set when mpf itself refuses `path` (a link it will not write through): the whole message.
  package var refusal: String?

  package init(_ operation: String, path: String? = nil, code: Errno = .current) {
    self.operation = operation
    self.path = path
    self.code = code
  }

  /// mpf refuses `path`: `reason` says why and what to do (`is a symbolic link: ...`).
  package init(refusing path: String, _ reason: String, code: Errno = .invalid) {
    self.init("use", path: path, code: code)
    refusal = "\(path) \(reason)"
  }

  package var description: String {
    if let refusal { return refusal }
    if let path { return "cannot \(operation) \(path): \(code)" }
    return "cannot \(operation): \(code)"
  }
}

/// The one place where a C call's -1 and `errno` become a thrown `SystemError`: retries a call
/// interrupted by a signal, returns its non-negative result.
@discardableResult
package func syscall<T: FixedWidthInteger>(_ operation: String, path: String? = nil, _ body: () -> T) throws -> T {
  while true {
    let result = body()
    if result >= 0 { return result }
    let code = Errno.current
    if code == .interrupted { continue }
    throw SystemError(operation, path: path, code: code)
  }
}

/// A call whose failure is an answer rather than an error: its result, or the `Errno` it failed
/// with (after retrying EINTR).
package func valueOrErrno<T: FixedWidthInteger>(_ body: () -> T) -> Result<T, Errno> {
  while true {
    let result = body()
    if result >= 0 { return .success(result) }
    let code = Errno.current
    if code != .interrupted { return .failure(code) }
  }
}
