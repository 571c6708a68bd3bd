#if canImport(Glibc)
  internal import Glibc
#endif
import Synchronization

/// Turns SIGINT, SIGTERM and SIGHUP into calls of a Swift closure on a thread of its own (the
/// self-pipe trick): a signal handler only writes a byte to a pipe (async-signal-safe); a
/// thread blocked on the pipe's other end calls `handler` for each byte.
package enum Interrupts {
  /// What asked the experiment to stop.
  package enum Kind: UInt8, Sendable {
    /// Ctrl-C at the terminal.
    case interrupt = 1
    /// `kill` (SIGTERM) or the terminal going away (SIGHUP): stop now.
    case terminate = 2
  }

  private static let pipeWriteEnd = Atomic<Int32>(-1)

  /// Calls `handler` on every SIGINT, SIGTERM and SIGHUP from now on, until `restore`.
  ///
  /// - Returns: false when the pipe cannot be made (SIGINT then keeps its default action).
  @discardableResult
  package static func forward(to handler: @escaping @Sendable (Kind) -> Void) -> Bool {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { return false }
    let (readEnd, writeEnd) = (ends[0], ends[1])
    pipeWriteEnd.store(writeEnd, ordering: .sequentiallyConsistent)
    signal(SIGINT) { _ in
      var byte = Kind.interrupt.rawValue
      _ = write(Interrupts.pipeWriteEnd.load(ordering: .relaxed), &byte, 1)
    }
    for terminating in [SIGTERM, SIGHUP] {
      signal(terminating) { _ in
        var byte = Kind.terminate.rawValue
        _ = write(Interrupts.pipeWriteEnd.load(ordering: .relaxed), &byte, 1)
      }
    }
    startThread {
      var byte: UInt8 = 0
      while true {
        let n = read(readEnd, &byte, 1)
        if n == 1, let kind = Kind(rawValue: byte) { handler(kind) }
        if n == 0 || (n == 1 && byte == 0) || (n < 0 && errno != EINTR) { break }
      }
      close(readEnd)
    }
    return true
  }

  /// The signals end the process again (the default); the forwarding thread ends.
  package static func restore() {
    for forwarded in [SIGINT, SIGTERM, SIGHUP] { signal(forwarded, SIG_DFL) }
    let writeEnd = pipeWriteEnd.exchange(-1, ordering: .sequentiallyConsistent)
    guard writeEnd >= 0 else { return }
    var stop: UInt8 = 0
    _ = write(writeEnd, &stop, 1)
    close(writeEnd)
  }
}
