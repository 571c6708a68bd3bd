import Synchronization

/// Turns SIGINT, SIGTERM and SIGHUP into calls of a Swift closure on a thread of its own (the
/// self-pipe trick): a signal handler only writes a byte to a pipe (async-signal-safe); a
/// thread blocked on the pipe's other end calls the handler for each byte.
///
/// Handlers nest: `forward` pushes one, `restore` pops it, and the signal goes to the innermost.
/// `mpf repl` keeps one for the prompt while an experiment it starts pushes its own. With no
/// handler left, the signals have their default action again.
package enum Interrupts {
  /// What asked the experiment to stop.
  package enum Kind: UInt8, Sendable {
    /// Ctrl-C at the terminal.
    case interrupt = 1
    /// `kill` (SIGTERM) or the terminal going away (SIGHUP): stop now.
    case terminate = 2
  }

  private static let pipeWriteEnd = Atomic<Int32>(-1)
  private static let forwarded: [Signal] = [.interrupt, .terminate, .hangUp]
  private static let handlers = Mutex<[@Sendable (Kind) -> Void]>([])

  /// Calls `handler` on every SIGINT, SIGTERM and SIGHUP from now on, until the matching
  /// `restore`.
  ///
  /// - Returns: false when the pipe cannot be made (the signals then keep their default action).
  @discardableResult
  package static func forward(to handler: @escaping @Sendable (Kind) -> Void) -> Bool {
    guard startForwarding() else { return false }
    let first = handlers.withLock { list in
      list.append(handler)
      return list.count == 1
    }
    if first {
      do {
        try Signal.forward(forwarded, to: Descriptor(raw: pipeWriteEnd.load(ordering: .sequentiallyConsistent)))
      } catch {
        restore()
        return false
      }
    }
    return true
  }

  /// Removes the handler `forward` added last; without handlers, the signals end the process
  /// again (the default).
  package static func restore() {
    let empty = handlers.withLock { list in
      if !list.isEmpty { list.removeLast() }
      return list.isEmpty
    }
    if empty { for signal in forwarded { try? Signal.restoreDefault(signal) } }
  }

  /// Every signal received so far, whichever handler took it: how many, and the number of the
  /// last SIGTERM or SIGHUP among them (0 when none).
  private static let received = Mutex<(count: Int, lastTerminate: Int)>((0, 0))

  /// A mark to give `received(since:)` later: the signals received so far.
  package static var mark: Int { received.withLock { $0.count } }

  /// What the signals received after `mark` asked (`terminate` over `interrupt`), nil when none
  /// came: an outer layer learns of a signal an inner handler took after its last look.
  package static func received(since mark: Int) -> Kind? {
    received.withLock { $0.count > mark ? ($0.lastTerminate > mark ? .terminate : .interrupt) : nil }
  }

  private static let deadlineArmed = Atomic<Bool>(false)

  /// After SIGTERM or SIGHUP, mpf ends within `seconds` whatever it is doing: the clean stop
  /// (status written, workers ended) normally takes well under a second; this bounds it when
  /// something it waits for does not answer.
  package static func endWithin(_ seconds: Double, status: Int32) {
    guard deadlineArmed.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return }
    startThread {
      Clock.sleep(seconds)
      FileSystem.writeStderr("mpf: still stopping \(NumberBounds.clampedInt(seconds, to: 0...Int.max, rounding: .down, nan: 0)) s after being told to end: ending now\n")
      ThisProcess.exitNow(status)
    }
  }

  /// The pipe and its thread, made once and kept for the life of the process.
  private static func startForwarding() -> Bool {
    if pipeWriteEnd.load(ordering: .sequentiallyConsistent) >= 0 { return true }
    guard let (readEnd, writeEnd) = try? Descriptor.pipe() else { return false }
    guard pipeWriteEnd.compareExchange(expected: -1, desired: writeEnd.raw, ordering: .sequentiallyConsistent).exchanged else {
      readEnd.close()
      writeEnd.close()
      return true
    }
    startThread {
      var byte: [UInt8] = [0]
      // Each byte is a signal's number (`Signal.forward`).
      while let n = try? readEnd.read(into: &byte), n == 1 {
        let kind: Kind = byte[0] == UInt8(Signal.interrupt.rawValue) ? .interrupt : .terminate
        received.withLock { state in
          state.count += 1
          if kind == .terminate { state.lastTerminate = state.count }
        }
        if let handler = handlers.withLock({ $0.last }) { handler(kind) }
      }
    }
    return true
  }
}
