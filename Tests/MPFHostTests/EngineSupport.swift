import Synchronization
import MPFCore
import MPFTestSupport
import MPFCluster
import MPFWorker
import MPFHost

/// What an orchestrator told its observer: every run, message and log, in order.
final class RecordingObserver: RunObserver {
  private let state = Mutex(State())
  /// Called with each finished row (to stop the experiment from a test, say).
  let onFinished: @Sendable (ResultRow) -> Void

  struct State {
    var facts: [String: LuaValue]?
    var rows: [ResultRow] = []
    var messages: [String] = []
    var logs: [String: String] = [:]
  }

  init(onFinished: @escaping @Sendable (ResultRow) -> Void = { _ in }) { self.onFinished = onFinished }

  var rows: [ResultRow] { state.withLock { $0.rows } }
  var messages: [String] { state.withLock { $0.messages } }
  var logs: [String: String] { state.withLock { $0.logs } }
  var facts: [String: LuaValue]? { state.withLock { $0.facts } }

  func started(facts: [String: LuaValue]) throws { state.withLock { $0.facts = facts } }
  func starting(_ run: PlannedRun, description: String) {}
  func store(_ files: [WorkerFile], under folder: String) throws -> [String] { files.map { folder + "/" + $0.path } }
  func writeLog(named name: String, _ text: String) throws -> String {
    state.withLock { $0.logs[name] = text }
    return "logs/\(name).log"
  }
  func finished(_ row: ResultRow, description: String) async throws {
    state.withLock { $0.rows.append(row) }
    onFinished(row)
  }
  func message(_ text: String) { state.withLock { $0.messages.append(text) } }
  func warning(_ text: String) { message(text) }
}

/// An orchestrator whose workers run in this process (`InProcessChannel`), one per role.
func inProcessOrchestrator(
  _ experiment: Experiment, cluster: Cluster? = nil,
  connect: @escaping @Sendable (RoleAssignment) async throws -> any Channel = { InProcessChannel(name: $0.role) },
  reconnect: @escaping @Sendable (RoleAssignment) async throws -> any Channel = { InProcessChannel(name: $0.role) }
) -> Orchestrator {
  var orchestrator = Orchestrator(
    experiment: experiment, cluster: cluster ?? Cluster.local(roles: experiment.roles), connect: connect, reconnect: reconnect)
  orchestrator.backoff = [0]
  return orchestrator
}

/// The runs of `experiment`'s plan, in order.
func plannedRuns(_ experiment: Experiment) -> PlannedRuns {
  PlannedRuns(RunPlan(variables: experiment.variables, runCount: experiment.runCount, seed: experiment.seed).runs)
}

/// Connections that each die after `requests` requests the first time a role connects.
final class FlakyConnections: Sendable {
  private let connected = Mutex<Set<String>>([])
  let requests: Int
  init(dieAfter requests: Int) { self.requests = requests }

  func connect(_ assignment: RoleAssignment) -> any Channel {
    let first = connected.withLock { $0.insert(assignment.role).inserted }
    return InProcessChannel(name: assignment.role, dieAfter: first ? requests : nil)
  }
}

/// Wraps a channel and fails its requests in flight as soon as it is closed (an in-process
/// worker busy in a call reads its close only after the call): what a killed process does.
final class ClosableChannelSpy: Sendable {
  private let state = Mutex<(closed: Bool, next: Int, waiting: [Int: CheckedContinuation<WorkerResponse, any Error>])>((false, 0, [:]))

  var closed: Bool { state.withLock { $0.closed } }

  func wrap(_ inner: any Channel) -> any Channel { Spied(inner: inner, spy: self) }

  fileprivate func close() {
    let waiting = state.withLock { state in
      state.closed = true
      defer { state.waiting.removeAll() }
      return Array(state.waiting.values)
    }
    for continuation in waiting { continuation.resume(throwing: TransportError(node: "spy", "the worker was ended")) }
  }

  /// The continuation of request `id`, taken (nil when close took it first).
  private func take(_ id: Int) -> CheckedContinuation<WorkerResponse, any Error>? {
    state.withLock { $0.waiting.removeValue(forKey: id) }
  }

  fileprivate func send(_ request: WorkerRequest, to inner: any Channel) async throws -> WorkerResponse {
    try await withCheckedThrowingContinuation { continuation in
      let id = state.withLock { state -> Int? in
        guard !state.closed else { return nil }
        state.next += 1
        state.waiting[state.next] = continuation
        return state.next
      }
      guard let id else {
        continuation.resume(throwing: TransportError(node: "spy", "the worker was ended"))
        return
      }
      Task {
        do {
          let answer = try await inner.send(request)
          self.take(id)?.resume(returning: answer)
        } catch {
          self.take(id)?.resume(throwing: error)
        }
      }
    }
  }

  private struct Spied: Channel {
    let inner: any Channel
    let spy: ClosableChannelSpy
    func send(_ request: WorkerRequest) async throws -> WorkerResponse { try await spy.send(request, to: inner) }
    func close(grace: Double) async {
      spy.close()
      await inner.close(grace: grace)
    }
  }
}
