package import MPFCore
package import MPFCluster
package import MPFText
/// One worker: requests to it are serialised by the worker, answers paired by id.
package actor NodeSession {
  package let role: String
  /// The worker's name (`client2`; the role when it has one machine): how the orchestrator keys it.
  package let name: String
  private let channel: any Channel
  private let deadlines: Deadlines
  /// The node's facts, as its worker reported them when it loaded the script.
  private(set) var facts: LuaValue = .nil

  /// How long a worker may take to answer each request (a call's own bound is its function's
  /// timeout, which the worker keeps): a worker that never answers is ended, not waited for.
  package struct Deadlines: Sendable {
    package var load = 120.0
    package var endRun = 600.0  // a run's files come with the answer: up to 512 MiB
    package var shutdown = 600.0  // the experiment's files too
    /// How the session waits (tests pass one that does not sleep).
    package var sleep: @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }

    package init() {}
  }

  package init(role: String, name: String? = nil, channel: any Channel, deadlines: Deadlines = Deadlines()) {
    self.role = role
    self.name = name ?? role
    self.channel = channel
    self.deadlines = deadlines
  }

  /// Sends the script; the worker loads it up to `mpf.run_experiment`.
  ///
  /// - Throws: `Diagnostic` when the script fails on the worker, `TransportError` otherwise.
  package func load(_ experiment: Experiment) async throws {
    // Named as the results record it: a run's error names the original script, not a copy.
    var request = LoadRequest(
      scriptName: experiment.recordedScriptPath ?? experiment.scriptPath, scriptSource: experiment.scriptSource, arguments: experiment.arguments, role: role,
      modules: experiment.modules)
    request.replay = experiment.replay
    try await load(request)
  }

  /// `mpf repl`: chunks typed since the worker loaded, for their definitions.
  package func replay(_ chunks: [String]) async throws {
    guard !chunks.isEmpty else { return }
    switch try await send(.replay(chunks), within: deadlines.load, what: "the prompt's replay") {
    case .loaded: return
    case .failed(let error): throw error.diagnostic
    case let other: throw TransportError(node: role, "unexpected answer to replay: \(other)")
    }
  }

  /// Sends a load request as it is. An interactive session's worker (`replay`) sends the
  /// lines its functions print as they come: they are shown under its name (`LiveOutput`).
  package func load(_ request: LoadRequest) async throws {
    if request.replay != nil {
      channel.onOutput { [name] line, isError in LiveOutput.write(line, from: name, isError: isError) }
    }
    switch try await send(.load(request), within: deadlines.load, what: "the script's load") {
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
    switch try await send(.endRun(run: run), within: deadlines.endRun, what: "the end of run \(run)") {
    case .ended(let log, let files): return RunEnd(log: log, files: files)
    case let other: throw TransportError(node: role, "unexpected answer to end of run: \(other)")
    }
  }

  /// Sends on the channel; a transport failure names this session's role. With `within`, a
  /// worker that has not answered by then is ended (its pending request fails with it) and the
  /// error says what it did not answer.
  private func send(_ request: WorkerRequest, within seconds: Double? = nil, what: String = "") async throws -> WorkerResponse {
    do {
      guard let seconds else { return try await channel.send(request) }
      let (channel, sleep) = (self.channel, deadlines.sleep)
      return try await withThrowingTaskGroup(of: WorkerResponse?.self) { group in
        group.addTask { try await channel.send(request) }
        group.addTask {
          try await sleep(seconds)
          return nil
        }
        defer { group.cancelAll() }
        if let first = try await group.next(), let answer = first { return answer }
        await channel.close(grace: 1)
        throw TransportError(
          node: name, "the worker did not answer \(what) within \(NumberText.formatNumber(seconds)) s: it was ended (is the machine overloaded, or stopped?)")
      }
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
    let answer = try? await send(.shutdown, within: deadlines.shutdown, what: "shutdown")
    await channel.close(grace: 3)
    if case .goodbye(let files) = answer { return files }
    return []
  }
}
