import Synchronization
internal import MPFCore
package import MPFCluster
package import MPFSystem
import MPFWorker

/// A channel to a `Worker` that runs in this process, on a thread of its own, handling one
/// request at a time as a worker process does: the engine's tests drive the orchestrator
/// through it, fast and exactly, with no process or pipe in between. `kill()` plays a worker
/// whose connection is lost.
package final class InProcessChannel: Channel {
  package let name: String
  private let requests = Handoff<Message>()
  private let shared = Shared()

  private enum Message: Sendable {
    case request(WorkerRequest, CheckedContinuation<WorkerResponse, any Error>)
    case close
  }

  private struct State {
    var closed = false
    var killed = false
    var handled = 0
  }

  /// The state the channel and the worker's thread share.
  private final class Shared: Sendable {
    let state = Mutex(State())
  }

  /// Starts a worker; with `dieAfter`, its connection is lost when it is asked its
  /// `dieAfter + 1`th request (which then fails, as does everything after).
  package init(name: String, dieAfter: Int? = nil) {
    self.name = name
    let (requests, shared) = (self.requests, self.shared)
    startThread {
      let worker = Worker(inProcess: ())
      while case .request(let request, let reply) = requests.take() {
        let alive = shared.state.withLock { state -> Bool in
          if let dieAfter, state.handled >= dieAfter { state.killed = true }
          state.handled += 1
          return !state.killed
        }
        guard alive else {
          reply.resume(throwing: TransportError(node: name, "the worker is gone"))
          continue
        }
        reply.resume(returning: worker.handle(request))
      }
      worker.endAll()
    }
  }

  package func send(_ request: WorkerRequest) async throws -> WorkerResponse {
    if shared.state.withLock({ $0.closed || $0.killed }) { throw TransportError(node: name, "the worker is gone") }
    return try await withCheckedThrowingContinuation { requests.put(.request(request, $0)) }
  }

  /// Loses the connection: every request from now on fails.
  package func kill() { shared.state.withLock { $0.killed = true } }

  /// How many requests the worker was asked.
  package var handled: Int { shared.state.withLock { $0.handled } }

  package func close(grace: Double) async {
    let first = shared.state.withLock { state -> Bool in
      defer { state.closed = true }
      return !state.closed
    }
    if first { requests.put(.close) }
  }
}
