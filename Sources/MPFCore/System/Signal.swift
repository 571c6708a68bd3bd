#if canImport(Glibc)
  internal import Glibc
#endif

/// Sending signals, checked: the one place mpf calls `kill(2)`.
package enum Signal {
  /// Sends `signal` to `pid` (a negative pid: to its process group).
  ///
  /// - Returns: true when it was delivered; false when no such process (or group) is left,
  ///   which is what ending processes expects, or when it may not be signalled (EPERM).
  @discardableResult
  package static func send(_ signal: Int32, to pid: Int32) -> Bool {
    guard pid != 0, pid != -1 else { return false }  // never the caller's group, never everything
    return kill(pid, signal) == 0
  }
}
