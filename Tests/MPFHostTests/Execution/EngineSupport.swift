import Synchronization
import MPFCore
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
