package import MPFCore
package import MPFCluster
/// One worker: requests to it are serialised by the worker, answers paired by id.
package actor NodeSession {
  package let role: String
  /// The worker's name (`client2`; the role when it has one machine): how the orchestrator keys it.
  package let name: String
  private let channel: any Channel
  /// The node's facts, as its worker reported them when it loaded the script.
  private(set) var facts: LuaValue = .nil

  package init(role: String, name: String? = nil, channel: any Channel) {
    self.role = role
    self.name = name ?? role
    self.channel = channel
  }

  /// Sends the script; the worker loads it up to `mpf.run_experiment`.
  ///
  /// - Throws: `Diagnostic` when the script fails on the worker, `TransportError` otherwise.
  package func load(_ experiment: Experiment) async throws {
    var request = LoadRequest(
      scriptName: experiment.scriptPath, scriptSource: experiment.scriptSource, arguments: experiment.arguments, role: role,
      modules: experiment.modules)
    request.replay = experiment.replay
    try await load(request)
  }

  /// `mpf repl`: chunks typed since the worker loaded, for their definitions.
  package func replay(_ chunks: [String]) async throws {
    guard !chunks.isEmpty else { return }
    switch try await send(.replay(chunks)) {
    case .loaded: return
    case .failed(let error): throw error.diagnostic
    case let other: throw TransportError(node: role, "unexpected answer to replay: \(other)")
    }
  }

  /// Sends a load request as it is.
  package func load(_ request: LoadRequest) async throws {
    switch try await channel.send(.load(request)) {
    case .loaded(_, let version, let facts) where version == MPFVersion.current: self.facts = facts
    case .loaded(_, let version, _):
      throw TransportError(node: role, "worker runs mpf \(version), controller \(MPFVersion.current)")
    case .failed(let error): throw error.diagnostic
    case let other: throw TransportError(node: role, "unexpected answer to load: \(other)")
    }
  }

  package func call(_ function: RoleFunction, run: Int, context: LuaValue, values: LuaValue) async throws -> CallResult {
    try await call(CallRequest(function: function.index, run: run, timeout: function.timeout ?? 0, context: context, values: values))
  }

  /// The version of `ctx.roles` this worker has (it keeps the last one it was sent).
  private var rolesVersion: Int?

  /// A call whose `ctx.roles` goes to the worker only when it lacks this version: the worker
  /// keeps the last one (describing 32 machines on every call of every run would cost more
  /// than the call).
  /// With `endsRun`, the worker also ends the run after the call (`CallResult.runEnd`).
  package func call(
    _ function: RoleFunction, run: Int, context: LuaValue, values: LuaValue, roles: LuaValue, version: Int, endsRun: Bool = false
  ) async throws -> CallResult {
    var context = context
    if rolesVersion != version, case .table(var table) = context {
      table.fields[.string("roles")] = roles
      context = .table(table)
    }
    var request = CallRequest(function: function.index, run: run, timeout: function.timeout ?? 0, context: context, values: values)
    request.endsRun = endsRun
    let result = try await call(request)
    rolesVersion = version
    return result
  }

  package func call(_ request: CallRequest) async throws -> CallResult {
    switch try await send(.call(request)) {
    case .called(let result): return result
    case .failed(let error): throw error.diagnostic
    case let other: throw TransportError(node: role, "unexpected answer to call: \(other)")
    }
  }

  /// Ends the run on the worker: its background commands' log and its `mpf.md` files.
  package func endRun(_ run: Int) async throws -> RunEnd {
    switch try await send(.endRun(run: run)) {
    case .ended(let log, let files): return RunEnd(log: log, files: files)
    case let other: throw TransportError(node: role, "unexpected answer to end of run: \(other)")
    }
  }

  /// Sends on the channel; a transport failure names this session's role.
  private func send(_ request: WorkerRequest) async throws -> WorkerResponse {
    do {
      return try await channel.send(request)
    } catch var error as TransportError {
      error.role = name
      throw error
    }
  }

  /// Closes the stream without asking: the worker ends its command, its processes and itself.
  package nonisolated func abort() async {
    await channel.close(grace: 3)
  }

  /// Asks the worker to end everything, then closes the stream.
  ///
  /// - Returns: the files of the worker's `mpf.md('exp')` directory.
  @discardableResult
  package func shutdown() async -> [WorkerFile] {
    let answer = try? await channel.send(.shutdown)
    await channel.close(grace: 3)
    if case .goodbye(let files) = answer { return files }
    return []
  }
}
