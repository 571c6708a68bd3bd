internal import MPFCore
internal import MPFCluster
import Synchronization
import MPFSystem
import MPFText

/// The workers `mpf.on` reaches from mpf repl's prompt: one per role, started the first time
/// the role is used and kept open between commands (a later `mpf.on` costs one round trip).
/// Each worker loads the script and replays what was typed at the prompt, so that the function
/// given to `mpf.on` exists there too; a lost worker starts again on the next use.
final class PromptWorkers {
  /// The cluster file's machines; a machine given no interface gets its address once its
  /// worker reported it (as in an experiment).
  private var cluster: Cluster?
  private let scriptPath: String
  private let scriptSource: String
  private let arguments: [String]
  private var connector: WorkerConnector?
  private var sessions: [String: Session] = [:]
  /// The sessions a call waits for now: Ctrl-C closes them (from the signal thread).
  private let waiting = Mutex<[NodeSession]>([])

  private struct Session {
    var node: NodeSession
    /// How many of the prompt's chunks the worker has replayed.
    var synced: Int
    /// The chunk running now, when the worker has replayed it already.
    var current: String?
  }

  init(cluster: Cluster?, scriptPath: String, scriptSource: String, arguments: [String]) {
    (self.cluster, self.scriptPath, self.scriptSource, self.arguments) = (cluster, scriptPath, scriptSource, arguments)
  }

  /// Calls on-function `function` on `role` (or every role, for `*`).
  ///
  /// - Parameters:
  ///   - chunks: the prompt's chunks so far; `current` the one running now.
  ///   - declaredRoles: the roles the script declared, for `*` without a cluster file.
  /// - Returns: `{role = value}` of what the function returned on each.
  /// - Throws: `LuaRaise` naming the role and what failed.
  func call(role: String, function: Int, chunks: [String], current: String?, declaredRoles: [String]) throws -> LuaValue {
    let roles = try workerNames(role, declaredRoles: declaredRoles)
    // Every role at once: the calls run concurrently.
    let prepared = try roles.map { name in (name, try prepare(name, chunks: chunks, current: current)) }
    try learnAddresses(of: prepared)
    let contexts = contexts(of: roles)
    let results = try waitFor { [prepared, contexts] in
      try await withThrowingTaskGroup(of: (String, Result<CallResult, any Error>).self) { group in
        for (name, session) in prepared {
          group.addTask {
            do {
              return (name, .success(try await session.call(CallRequest(function: -function, run: 0, context: contexts[name] ?? .record([:]), values: .record([:])))))
            } catch {
              return (name, .failure(error))
            }
          }
        }
        var all: [(String, Result<CallResult, any Error>)] = []
        for try await result in group { all.append(result) }
        return all
      }
    }
    waiting.withLock { $0.removeAll() }
    return try answers(results)
  }

  /// The workers `mpf.on(role, ...)` names: a role of several machines is each of them
  /// (`client1`, `client2`, ...), and one of them can be asked by its own name; `*` is all.
  private func workerNames(_ role: String, declaredRoles: [String]) throws -> [String] {
    if role == "*" {
      let roles = cluster?.workers.map(\.name) ?? (declaredRoles + sessions.keys.sorted()).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
      guard !roles.isEmpty else { throw LuaRaise("mpf.on('*', ...): no role yet (give a cluster file with -c, declare functions, or use a role by name first)") }
      return roles
    }
    guard let cluster else { return [role] }
    if let one = cluster.assignment(named: role), !one.spare { return [one.name] }
    guard !cluster.nodes(of: role).isEmpty else {
      throw LuaRaise("mpf.on: no role '\(role)' in \(cluster.file ?? "the cluster file") (roles: \(cluster.roleNames.joined(separator: ", ")))")
    }
    return cluster.nodes(of: role).map(\.name)
  }

  /// On a cluster, the address each worker found for its machine (what `ctx.roles` tells).
  private func learnAddresses(of prepared: [(String, NodeSession)]) throws {
    guard var known = cluster else { return }
    let facts = try waitFor { [prepared] in
      var facts: [(String, LuaValue)] = []
      for (name, session) in prepared { facts.append((name, await session.facts)) }
      return facts
    }
    for (name, fact) in facts { if let address = fact["address"].stringValue { known.giveAddress(address, to: name) } }
    cluster = known
  }

  /// Each worker's ctx: its role, and which machine of it (`ctx.node`) on a cluster.
  private func contexts(of roles: [String]) -> [String: LuaValue] {
    let context = LuaValue.record(["roles": effectiveCluster(roles).rolesValue])
    var contexts: [String: LuaValue] = [:]
    for name in roles {
      guard case .table(var table) = context else { continue }
      table.fields[.string("role")] = .string(cluster?.assignment(named: name)?.role ?? name)
      if let node = cluster?.nodeValue(named: name) { table.fields[.string("node")] = node }
      contexts[name] = .table(table)
    }
    return contexts
  }

  /// The answers by worker name, each worker's prints shown in name order; the first error raised.
  private func answers(_ results: [(String, Result<CallResult, any Error>)]) throws -> LuaValue {
    var answers = LuaTable()
    for (name, result) in results.sorted(by: { $0.0 < $1.0 }) {
      switch result {
      case .success(let call):
        for entry in call.log { if case .print(let text) = entry { FileSystem.writeStdout(TerminalText.escaped("[\(name)] \(text)", keepingLines: true) + "\n") } }
        if let error = call.error { throw LuaRaise("mpf.on(\(name)): \(error.diagnostic.description)") }
        answers.fields[.string(name)] = call.results
      case .failure(let error):
        // The worker is gone (lost connection, Ctrl-C): the next use starts a new one.
        sessions[name] = nil
        throw LuaRaise("mpf.on(\(name)): \(ErrorReport(error).message) (the next mpf.on starts the worker again)")
      }
    }
    return .table(answers)
  }

  /// The role's session, started and loaded if needed, with the prompt's chunks replayed.
  private func prepare(_ role: String, chunks: [String], current: String?) throws -> NodeSession {
    if var session = sessions[role] {
      // The chunk sent while it ran is kept as it ran (an expression with `return ` before it).
      if let sent = session.current, session.synced < chunks.count,
        chunks[session.synced] == sent || chunks[session.synced] == "return " + sent
      {
        session.synced += 1
        session.current = nil
      }
      var pending = Array(chunks[min(session.synced, chunks.count)...])
      if let current, session.current != current { pending.append(current) }
      let node = session.node
      do {
        try waitFor { [pending] in try await node.replay(pending) }
      } catch {
        sessions[role] = nil
        FileSystem.writeStderr("mpf: the worker of \(role) was lost (\(ErrorReport(error).message)); starting it again\n")
        return try prepare(role, chunks: chunks, current: current)
      }
      session.synced = chunks.count
      session.current = current
      sessions[role] = session
      waiting.withLock { $0.append(node) }
      return node
    }
    let cluster = effectiveCluster([role])
    if connector == nil || connector?.cluster.assignment(named: role) == nil {
      connector?.close()
      connector = try WorkerConnector(cluster: cluster)
    }
    guard let connector, let assignment = connector.cluster.assignment(named: role) else { throw LuaRaise("mpf.on: no role '\(role)'") }
    var request = LoadRequest(scriptName: scriptPath, scriptSource: scriptSource, arguments: arguments, role: assignment.role)
    request.replay = chunks + (current.map { [$0] } ?? [])
    let node = try waitFor { [request] in
      let node = NodeSession(role: assignment.role, name: assignment.name, channel: try await connector.connect(assignment))
      try await node.load(request)
      return node
    }
    sessions[role] = Session(node: node, synced: chunks.count, current: current)
    waiting.withLock { $0.append(node) }
    return node
  }

  /// The cluster file's, or every role asked for so far as a local worker.
  private func effectiveCluster(_ roles: [String]) -> Cluster {
    if let cluster { return cluster }
    var known = connector?.cluster.assignments.map(\.role) ?? []
    for role in roles where !known.contains(role) { known.append(role) }
    return Cluster.local(roles: known)
  }

  /// Ctrl-C: closes the workers a call waits for (any thread).
  func interrupt() {
    let nodes = waiting.withLock { list in
      defer { list.removeAll() }
      return list
    }
    for node in nodes { Task { await node.abort() } }
  }

  /// Ends every worker and ssh master connection.
  func close() {
    let nodes = sessions.values.map(\.node)
    sessions.removeAll()
    if !nodes.isEmpty {
      _ = try? waitFor {
        await withTaskGroup(of: Void.self) { group in
          for node in nodes { group.addTask { _ = await node.shutdown() } }
        }
      }
    }
    connector?.close()
    connector = nil
  }
}
