import Testing
import Synchronization
import MPFCore
import MPFCluster
@testable import MPFHost

/// A worker that reads every request and never answers (a stopped machine, a hung load): its
/// pending request fails only when the stream is closed.
final class SilentChannel: Channel, @unchecked Sendable {
  // Guarded by `lock`: the continuations of requests in flight, and whether close was called.
  private let lock = Mutex<(waiting: [CheckedContinuation<WorkerResponse, any Error>], closed: Bool)>(([], false))

  var closed: Bool { lock.withLock { $0.closed } }

  func send(_ request: WorkerRequest) async throws -> WorkerResponse {
    try await withCheckedThrowingContinuation { continuation in
      let closed = lock.withLock { state -> Bool in
        if !state.closed { state.waiting.append(continuation) }
        return state.closed
      }
      if closed { continuation.resume(throwing: TransportError(node: "silent", "the worker is gone")) }
    }
  }

  func close(grace: Double) async {
    let waiting = lock.withLock { state in
      state.closed = true
      defer { state.waiting.removeAll() }
      return state.waiting
    }
    for continuation in waiting { continuation.resume(throwing: TransportError(node: "silent", "the worker is gone")) }
  }
}

/// Every exchange with a worker has a deadline: one that never answers is ended and said,
/// never waited for (the clock is injected: nothing here sleeps).
@Suite(.timeLimit(.minutes(1))) struct NodeSessionTests {
  func session(_ channel: SilentChannel) -> NodeSession {
    var deadlines = NodeSession.Deadlines()
    deadlines.sleep = { _ in }  // every deadline passes at once
    return NodeSession(role: "server", name: "server", channel: channel, deadlines: deadlines)
  }

  @Test func aWorkerThatNeverAnswersTheLoadIsEndedAndSaid() async throws {
    let channel = SilentChannel()
    let request = LoadRequest(scriptName: "s.lua", scriptSource: "", arguments: [], role: "server")
    let error = await #expect(throws: TransportError.self) { try await session(channel).load(request) }
    #expect("\(error.map { "\($0)" } ?? "")".contains("did not answer the script's load within 120 s"))
    #expect(channel.closed, "the worker was not ended")
  }

  @Test func aWorkerThatNeverEndsItsRunIsEndedAndSaid() async throws {
    let channel = SilentChannel()
    let error = await #expect(throws: TransportError.self) { _ = try await session(channel).endRun(7) }
    #expect("\(error.map { "\($0)" } ?? "")".contains("did not answer the end of run 7 within 600 s"))
    #expect(channel.closed)
  }

  @Test func aWorkerThatNeverSaysGoodbyeIsEnded() async {
    let channel = SilentChannel()
    #expect(await session(channel).shutdown().isEmpty)
    #expect(channel.closed)
  }
}
