import Synchronization
internal import MPFCore
internal import MPFScript
package import MPFCluster
package import MPFSystem
package import MPFText

/// The `mpf worker` side: loads the script, then answers the controller's requests one at a
/// time over a framed stream (stdin/stdout locally, the ssh session's on a node).
///
/// Nothing but frames reaches the protocol stream: fd 1 is pointed at stderr before the script
/// loads, and `print` in a role function goes to that function's log.
package final class Worker {
  private let input: Descriptor
  private let output: Descriptor
  private var script: ExperimentScript?
  private var shell: Shell
  private var log: [LogEntry] = []
  private var inCall = false
  /// An interactive session's worker (`LoadRequest.replay`): what a run's or init's function
  /// prints, and its commands' output, also go to the controller as they come (`output`).
  private var streams = false
  private var warned: Set<String> = []
  /// The run and function being called (for `mpf.md`); nil outside a call.
  private var current: CallRequest?
  private var mdRoot: String { shell.scratch + "/md" }

  /// Takes over the process's standard streams for the protocol.
  ///
  /// - Throws: `SystemError` when they cannot be set up (the worker cannot speak the protocol).
  package init() throws {
    // The protocol gets descriptors of its own (closed on exec): the script's stdin is
    // /dev/null (a top-level io.read() gets end of file instead of eating frames), its stdout
    // goes to stderr.
    input = try Descriptor.standardInput.duplicate()
    output = try Descriptor.standardOutput.duplicate()
    try Worker.emptyStandardInput()
    try Descriptor.standardError.duplicate(as: .standardOutput)
    try Signal.ignore(.pipe)
    // The controller decides when this worker ends (it closes the stream); a Ctrl-C meant for
    // the controller must not kill the worker before it has ended its processes.
    try Signal.ignore(.interrupt)
    shell = Shell()  // every stored property must be set before `self` can be captured below
    shell = Shell(controllerFD: input, ownsDescendants: true) { [unowned self] in self.controllerLost() }
    // An `ex` output too long to keep goes whole into the run's files.
    shell.spillFolder = { [unowned self] in
      guard let current = self.current, current.run >= 0 else { return nil }
      return self.mdRoot + "/run"
    }
    Worker.watchController(input)
    // Told to end (SIGTERM, or SIGHUP when its ssh session goes): end now, as when the
    // controller is gone, leaving no process and no folder behind. Ctrl-C stays ignored.
    Interrupts.forward { kind in
      if kind == .terminate { Worker.endNow(status: 143) }
    }
  }

  /// Ends this worker at once, from any thread: every process it started (its cgroups, its
  /// descendants), its scratch folders, then the process.
  static func endNow(status: Int32) -> Never {
    RunCgroup.killAllOfThisProcess()
    for pid in ProcessTree.descendants(of: ThisProcess.id) {
      Signal.send(.kill, to: -pid)
      Signal.send(.kill, to: pid)
    }
    for folder in Shell.scratchFolders.withLock({ $0 }) { FileSystem.removeTree(folder) }
    ThisProcess.exitNow(status)
  }

  /// Points standard input at nothing to read: /dev/null, or where a node has none (a bare
  /// chroot, a minimal container), a pipe whose write end is closed. Either way a read gets
  /// end of file at once.
  private static func emptyStandardInput() throws {
    if let null = try? FileDescriptor.open("/dev/null", .readOnly) {
      try null.duplicate(as: .standardInput)
      return
    }
    let (read, write) = try Descriptor.pipe()
    write.close()
    try read.duplicate(as: .standardInput)
    read.close()
  }

  /// A worker whose controller is gone (killed, ssh cut) ends even while its Lua code is busy
  /// or blocked: a thread watches the protocol input for a hang-up without reading it, and
  /// half a second later (an idle worker has ended by then) ends the processes the worker started
  /// (each in a process group of its own) and the worker.
  private static func watchController(_ input: Descriptor) {
    startThread {
      while true {
        // A failing poll ends the worker as a hang-up does; nil: a signal interrupted it.
        let polled: [PollEvents]?
        do { polled = try Descriptor.poll([(input, [])], milliseconds: -1) } catch { break }
        guard let events = polled else { continue }
        if !(events.first ?? .error).isDisjoint(with: [.hangUp, .error, .invalid]) { break }
      }
      Clock.sleep(0.5)
      Worker.endNow(status: 3)
    }
  }

  /// A worker inside this process (`InProcessChannel`): the process's streams stay as they are.
  package init(inProcess: ()) {
    input = Descriptor(raw: -1)
    output = Descriptor(raw: -1)
    shell = Shell()
  }

  /// Ends every process this worker started (init ones included).
  package func endAll() { shell.endAll() }

  /// Serves requests until the controller says goodbye or closes the stream.
  ///
  /// - Returns: the process exit status.
  package func serve() -> Int32 {
    while true {
      let frame: [UInt8]?
      do {
        frame = try FrameIO.read(from: input)
      } catch {
        FileSystem.writeStderr("mpf worker: \(TerminalText.escaped("\(error)", keepingLines: true))\n")
        shell.endAll()
        return 2
      }
      guard let frame else {
        shell.endAll()
        return 0
      }
      let request: Envelope<WorkerRequest>
      do {
        request = try Envelope<WorkerRequest>.decode(frame)
      } catch {
        FileSystem.writeStderr("mpf worker: malformed request: \(TerminalText.escaped("\(error)", keepingLines: true))\n")
        shell.endAll()
        return 2
      }
      let response = handle(request.body)
      do {
        try FrameIO.write(Envelope(id: request.id, body: response).encoded(), to: output)
      } catch {
        shell.endAll()
        return 2
      }
      if case .shutdown = request.body { return 0 }
    }
  }

  /// Answers one request, as `serve` does for each frame.
  package func handle(_ request: WorkerRequest) -> WorkerResponse {
    switch request {
    case .load(let load): return self.load(load)
    case .replay(let chunks):
      guard let script else { return .failed(WireDiagnostic(Diagnostic(.runtime, "the worker has no script loaded"))) }
      do {
        try script.replay(chunks)
        return .loaded(functionCount: 0, version: MPFVersion.current, facts: .nil)
      } catch {
        return .failed(WireDiagnostic(error))
      }
    case .call(let call):
      var result = self.call(call)
      if call.endsRun { result.runEnd = endRun() }
      return .called(result)
    case .endRun:
      let end = endRun()
      return .ended(log: end.log, files: end.files)
    case .shutdown:
      let (files, warnings) = collect(mdRoot + "/exp")
      for case .warning(let text) in warnings { FileSystem.writeStderr("mpf worker: \(TerminalText.escaped(text, keepingLines: true))\n") }
      shell.endAll()
      return .goodbye(files: files)
    }
  }

  /// Ends the run: its processes, its background commands' log, its `mpf.md('run')` files.
  private func endRun() -> RunEnd {
    let runFolder = mdRoot + "/run"
    let log = shell.endRun(spillingTo: runFolder)
    let (files, warnings) = collect(runFolder)
    return RunEnd(log: log + warnings, files: files)
  }

  /// The command the shell could not find, from its message (`sh: 1: iperf9: not found`,
  /// bash's `sh: line 1: b: command not found`); nil when the shell said nothing of the kind.
  /// - Parameter fromShellOnly: only what `sh` itself says (`sh: 1: foo: not found`): a command
  ///   of a pipeline that does not exist leaves the pipeline's status to its last command.
  package static func missingCommand(in stderr: String, fromShellOnly: Bool = false) -> String? {
    for line in stderr.lines() {
      let parts = line.split(separator: ": ", omittingEmptySubsequences: false).map(String.init)
      guard parts.count >= 3, let last = parts.last, last == "not found" || last == "command not found" else { continue }
      if fromShellOnly, parts[0] != "sh" || parts.count != 4 || Int(parts[1]) == nil { continue }
      return parts[parts.count - 2]
    }
    return nil
  }

  private func load(_ request: LoadRequest) -> WorkerResponse {
    var primitives = ScriptPrimitives(exec: { [unowned self] command, background, location in
      try self.exec(command, background: background, location: location)
    })
    streams = request.replay != nil
    primitives.log = { [unowned self] text in
      if self.inCall {
        self.log.append(.print(text))
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { self.emit(String(line), isError: false) }
      } else { FileSystem.writeStderr(TerminalText.escaped("[\(request.role)] \(text)", keepingLines: true) + "\n") }
    }
    primitives.directory = { [unowned self] scope in try self.directory(scope) }
    do {
      let script = try ExperimentScript(
        mode: .worker, arguments: request.arguments, primitives: primitives, interactive: request.replay != nil)
      try script.runAsWorker(path: request.scriptName, source: request.scriptSource, modules: request.modules)
      try script.replay(request.replay ?? [])
      self.script = script
      return .loaded(functionCount: 0, version: MPFVersion.current, facts: HostFacts.current())
    } catch {
      return .failed(WireDiagnostic(error))
    }
  }

  private func call(_ request: CallRequest) -> CallResult {
    let start = Clock.monotonic()
    log = []
    inCall = true
    current = request
    defer {
      inCall = false
      current = nil
    }
    guard let script else {
      return CallResult(
        results: .nil, error: WireDiagnostic(Diagnostic(.runtime, "the worker has no script loaded")), log: [], duration: 0)
    }
    var result = CallResult(results: .nil, error: nil, log: [], duration: 0)
    shell.resetTimeout(request.timeout)
    script.setDeadline(request.timeout)
    // mpf.on's calls (negative numbers) give their output with their answer, as they did.
    shell.onLine = streams && request.function >= 0 ? { [unowned self] line, isError in self.emit(line, isError: isError) } : nil
    defer { shell.onLine = nil }
    do {
      result.results = try script.call(function: request.function, context: request.context, values: request.values)
    } catch {
      result.error = WireDiagnostic(error)
      if shell.timedOut || script.deadlinePassed {
        result.error?.kind = .timeout
        result.error?.file = nil  // the controller locates it at the function's definition
        result.error?.message = "timeout: the function ran longer than \(NumberText.formatNumber(request.timeout)) s"
      }
    }
    script.setDeadline(0)
    shell.resetTimeout(0)
    if request.context["kind"] == .string("init") { shell.keepCurrentProcesses() }
    result.log = log
    result.duration = Clock.monotonic() - start
    return result
  }

  /// An `output` event to the controller, during a run's or init's call in an interactive
  /// session; nothing elsewhere (a worker in this process has no stream).
  private func emit(_ line: String, isError: Bool) {
    guard streams, inCall, let current, current.function >= 0, output.raw >= 0 else { return }
    try? FrameIO.write(Envelope(id: 0, body: WorkerResponse.output(line: line, isError: isError)).encoded(), to: output)
  }

  private func exec(_ command: String, background: Bool, location: String) throws -> LuaValue {
    let record = background ? shell.start(command, location: location) : shell.run(command, location: location)
    if inCall { log.append(.command(record)) }
    if shell.timedOut { throw LuaRaise("timeout: the command was ended at the function's deadline") }
    if let name = Self.missingCommand(in: record.stderr, fromShellOnly: record.exitCode != 127), warned.insert(location).inserted {
      let status = record.exitCode == 127 ? "exit code 127" : "in a pipeline, whose exit code \(record.exitCode.map(String.init) ?? "-") does not show it"
      let warning = "\(location): warning: command not found: '\(name)' (\(status))"
      if inCall { log.append(.warning(warning)) } else { FileSystem.writeStderr(TerminalText.escaped(warning, keepingLines: true) + "\n") }
    }
    return record.luaValue
  }

  /// `mpf.md(scope)`: the folder for this experiment, run or function, made on demand.
  private func directory(_ scope: String) throws -> String {
    let path: String
    switch scope {
    case "exp": path = mdRoot + "/exp"
    case "run", "role", "fun":
      guard let current, current.run >= 0 else {
        throw LuaRaise("mpf.md('\(scope)') is only available in a function called for a run; use mpf.md('exp')")
      }
      path = mdRoot + "/run" + (scope == "fun" ? "/fn-\(current.function)" : "")
    default: throw LuaRaise("mpf.md: unknown scope '\(scope)' (scopes: exp, run, role, fun)")
    }
    do {
      try FileSystem.createDirectory(path)
    } catch {
      throw LuaRaise("mpf.md: \(error)")
    }
    return path
  }

  /// The most an `mpf.md` file, and all of a run's together, may hold to be brought back (a
  /// protocol frame holds at most 1 GiB).
  static let fileLimit = 256 << 20
  static let filesLimit = 512 << 20

  /// The regular files under `folder`, read and then removed. Anything else (a symbolic link,
  /// a FIFO, a device) and files past the size limits are left out, each with a warning.
  private func collect(_ folder: String) -> (files: [WorkerFile], warnings: [LogEntry]) {
    let (entries, others) = FileSystem.entries(under: folder)
    var warnings = others.map { LogEntry.warning("mpf.md: \($0.path) is \($0.kind), not a regular file: not brought back") }
    var files: [WorkerFile] = []
    var total = 0
    for (path, size) in entries {
      guard size <= Worker.fileLimit, total + size <= Worker.filesLimit else {
        warnings.append(.warning(
          "mpf.md: \(path) (\(size) bytes) is past the limit of \(Worker.fileLimit >> 20) MiB a file, \(Worker.filesLimit >> 20) MiB in all: not brought back"))
        continue
      }
      guard let contents = try? FileSystem.read(FileSystem.join(folder, path)) else { continue }
      total += contents.count
      files.append(WorkerFile(path: path, contents: contents))
    }
    FileSystem.removeTree(folder)
    return (files, warnings)
  }

  private func controllerLost() {
    shell.endAll()
    ThisProcess.exit(3)
  }
}
