import Synchronization
internal import MPFCore
package import MPFSystem

/// A channel to a worker that is a child process speaking frames on its stdin/stdout: a local
/// `mpf worker`, or `ssh node mpf worker`, which is the same thing one hop away.
///
/// Requests are written from the caller's task; a dedicated thread reads responses (a blocking
/// read must not hold one of the cooperative pool's threads) and resumes the waiting caller.
package final class ProcessChannel: Channel {
  package let name: String
  private let process: Subprocess
  private let state = Mutex(State())
  /// What the grace of `close` is measured by.
  private let clock: PollClock

  private struct State {
    var nextID: UInt32 = 1
    var pending: [UInt32: CheckedContinuation<WorkerResponse, any Error>] = [:]
    var closedReason: String?
    var exitCode: Int32?
    var onOutput: (@Sendable (String, Bool) -> Void)?
  }

  /// Starts `arguments` with pipes for stdin and stdout (stderr is inherited).
  ///
  /// - Throws: `TransportError` when the process cannot start.
  package init(name: String, arguments: [String], clock: PollClock = .system) throws {
    self.name = name
    self.clock = clock
    do {
      // A process group of its own: a Ctrl-C at the terminal is the controller's to handle,
      // it must not kill an ssh session or a worker directly.
      process = try Subprocess.spawn(arguments, stdin: .pipe, stdout: .pipe, stderr: .inherit, newProcessGroup: true)
    } catch {
      throw TransportError(node: name, "cannot start the worker: \(error)")
    }
    guard let fd = process.stdout else { throw TransportError(node: name, "cannot start the worker: no pipe from it") }
    startThread { [self] in readResponses(from: fd) }
  }

  package func send(_ request: WorkerRequest) async throws -> WorkerResponse {
    try await withCheckedThrowingContinuation { continuation in
      let id: UInt32? = state.withLock { state in
        if state.closedReason != nil { return nil }
        let id = state.nextID
        state.nextID &+= 1
        state.pending[id] = continuation
        return id
      }
      guard let id else {
        continuation.resume(throwing: TransportError(node: name, closedMessage()))
        return
      }
      do {
        guard let stdin = process.stdin else { throw TransportError(node: name, "no pipe to the worker") }
        try FrameIO.write(Envelope(id: id, body: request).encoded(), to: stdin)
      } catch {
        let waiting = state.withLock { $0.pending.removeValue(forKey: id) }
        waiting?.resume(throwing: TransportError(node: name, "cannot send to the worker: \(error)"))
      }
    }
  }

  package func onOutput(_ handler: @escaping @Sendable (_ line: String, _ isError: Bool) -> Void) {
    state.withLock { $0.onOutput = handler }
  }

  /// Closes the worker's input (it ends), and kills it when it has not ended after `grace`
  /// seconds. The wait blocks a thread of its own, never one of the cooperative pool's.
  package func close(grace: Double) async {
    process.stdin?.close()
    let (pid, clock) = (process.pid, clock)
    _ = try? await onThread {
      if !clock.wait(upTo: grace, every: 0.005, until: { Subprocess.poll(pid) != nil }) {
        Signal.send(.kill, to: pid)
        _ = Subprocess.wait(pid)
      }
    }
  }

  private func closedMessage() -> String {
    state.withLock { $0.closedReason } ?? "the worker is gone"
  }

  private func readResponses(from fd: Descriptor) {
    var reason = "the worker exited"
    var first = true
    while true {
      do {
        guard let frame = try (first ? FrameIO.readFirst(from: fd) : FrameIO.read(from: fd)) else { break }
        first = false
        let response = try Envelope<WorkerResponse>.decode(frame)
        if case .output(let line, let isError) = response.body {
          state.withLock { $0.onOutput }?(line, isError)
          continue
        }
        let waiting = state.withLock { $0.pending.removeValue(forKey: response.id) }
        waiting?.resume(returning: response.body)
      } catch {
        // What a node printed before the worker is said as such; anything else broke the stream.
        reason = first ? "\(error)" : "the worker stream broke: \(error)"
        break
      }
    }
    fd.close()
    let orphans = state.withLock { state -> [CheckedContinuation<WorkerResponse, any Error>] in
      state.closedReason = reason
      defer { state.pending.removeAll() }
      return Array(state.pending.values)
    }
    for continuation in orphans { continuation.resume(throwing: TransportError(node: name, reason)) }
  }
}
