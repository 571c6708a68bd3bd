import Testing
import MPFCore
import MPFCluster
import MPFSystem

/// A process channel pairs answers with requests by id, whatever their order, and fails every
/// waiting request when the worker goes.
@Suite struct ProcessChannelTests {
  /// A "worker" in sh: reads the two requests whole, then answers them in reverse order.
  private func replayingWorker(answers: [Envelope<WorkerResponse>], after requests: [Envelope<WorkerRequest>], exit: Bool) throws
    -> [String]
  {
    let dir = try TemporaryDirectory.make("mpf-test")
    let file = FileSystem.join(dir, "answers")
    try FileSystem.writeAtomically(file, answers.flatMap { $0.encoded() })
    let requestBytes = requests.reduce(0) { $0 + $1.encoded().count }
    let then = exit ? "exit 0" : "cat '\(file)'; sleep 5"
    return ["sh", "-c", "head -c \(requestBytes) >/dev/null; \(then)"]
  }

  @Test func answersArePairedWithRequestsByIdInAnyOrder() async throws {
    let load = WorkerRequest.load(LoadRequest(scriptName: "s.lua", scriptSource: "", arguments: [], role: "a"))
    let end = WorkerRequest.endRun(run: 4)
    let arguments = try replayingWorker(
      answers: [
        Envelope(id: 2, body: .ended(log: [.print("second")], files: [])),
        Envelope(id: 1, body: .loaded(functionCount: 0, version: "v", facts: .nil)),
      ],
      after: [Envelope(id: 1, body: load), Envelope(id: 2, body: end)], exit: false)
    let channel = try ProcessChannel(name: "a", arguments: arguments)
    async let first = channel.send(load)
    try await Task.sleep(for: .milliseconds(50))  // ids follow the order of sending
    async let second = channel.send(end)
    let (one, two) = try await (first, second)
    #expect(one == .loaded(functionCount: 0, version: "v", facts: .nil))
    #expect(two == .ended(log: [.print("second")], files: []))
    await channel.close(grace: 0.1)
  }

  /// A node whose shell startup file prints a banner: the error says what the node printed and
  /// what to change, not that a frame was too large.
  @Test func aBannerBeforeTheWorkerIsSaidAsSuch() async throws {
    let load = WorkerRequest.load(LoadRequest(scriptName: "s.lua", scriptSource: "", arguments: [], role: "a"))
    let reply = Envelope<WorkerResponse>(id: 1, body: .loaded(functionCount: 0, version: "v", facts: .nil)).encoded()
    let dir = try TemporaryDirectory.make("mpf-test")
    let file = FileSystem.join(dir, "answer")
    try FileSystem.writeAtomically(file, reply)
    let channel = try ProcessChannel(name: "h3", arguments: ["sh", "-c", "printf 'Welcome to h3\\033[0m!\\nLast login: never\\n'; cat '\(file)'; sleep 5"])
    let error = await #expect(throws: TransportError.self) { try await channel.send(load) }
    let message = "\(error.map { "\($0)" } ?? "")"
    #expect(message.hasPrefix("h3: printed 'Welcome to h3"), "\(message)")
    #expect(message.contains("!' before mpf's worker answered"), "\(message)")
    #expect(!message.contains("\u{1B}"), "the banner's escape sequence reaches the terminal raw")
    #expect(message.contains("shell startup file"))
    #expect(!message.contains("too large"))
    await channel.close(grace: 0.1)
  }

  /// A worker that answers at once is read as before (its first frame's length is no text).
  @Test func aFirstFrameIsReadAsAFrame() async throws {
    let load = WorkerRequest.load(LoadRequest(scriptName: "s.lua", scriptSource: "", arguments: [], role: "a"))
    let arguments = try replayingWorker(
      answers: [Envelope(id: 1, body: .loaded(functionCount: 0, version: "v", facts: .nil))],
      after: [Envelope(id: 1, body: load)], exit: false)
    let channel = try ProcessChannel(name: "a", arguments: arguments)
    #expect(try await channel.send(load) == .loaded(functionCount: 0, version: "v", facts: .nil))
    await channel.close(grace: 0.1)
  }

  @Test func everyWaitingRequestFailsWhenTheWorkerExits() async throws {
    let arguments = try replayingWorker(
      answers: [], after: [Envelope(id: 1, body: .endRun(run: 1)), Envelope(id: 2, body: .endRun(run: 2))], exit: true)
    let channel = try ProcessChannel(name: "gone", arguments: arguments)
    async let first = Result(catching: { try await channel.send(.endRun(run: 1)) })
    async let second = Result(catching: { try await channel.send(.endRun(run: 2)) })
    for result in await [first, second] {
      let error = try #require(throws: TransportError.self) { try result.get() }
      #expect(error.description == "gone: the worker exited")
    }
    // And a request after that fails at once.
    let late = try await #require(throws: TransportError.self) { try await channel.send(.shutdown) }
    #expect(late.node == "gone")
    await channel.close(grace: 0.1)
  }
}

extension Result where Failure == any Error {
  init(catching body: () async throws -> Success) async {
    do { self = .success(try await body()) } catch { self = .failure(error) }
  }
}
