internal import MPFCore
extension Envelope<WorkerRequest> {
  package func encoded() -> [UInt8] {
    var w = WireWriter()
    w.uint(UInt64(id))
    switch body {
    case .load(let load):
      w.byte(1)
      w.string(load.scriptName)
      w.string(load.scriptSource)
      w.strings(load.arguments)
      w.string(load.role)
      w.uint(UInt64(load.modules.count))
      for module in load.modules {
        w.string(module.name)
        w.string(module.path)
        w.string(module.source)
      }
      w.byte(load.replay == nil ? 0 : 1)
      w.strings(load.replay ?? [])
    case .call(let call):
      w.byte(2)
      w.int(call.function)
      w.int(call.run)
      w.double(call.timeout)
      w.value(call.context)
      w.value(call.values)
      w.byte(call.endsRun ? 1 : 0)
    case .endRun(let run):
      w.byte(3)
      w.int(run)
    case .shutdown:
      w.byte(4)
    case .replay(let chunks):
      w.byte(5)
      w.strings(chunks)
    }
    return w.frame
  }

  package static func decode(_ bytes: [UInt8]) throws -> Self {
    var r = WireReader(bytes)
    let id = UInt32(truncatingIfNeeded: try r.uint())
    let body: WorkerRequest
    switch try r.byte() {
    case 1:
      var load = LoadRequest(scriptName: try r.string(), scriptSource: try r.string(), arguments: try r.strings(), role: try r.string())
      let count = try r.uint()
      guard count <= 10_000 else { throw WireError(description: "\(count) modules") }
      for _ in 0..<count { load.modules.append(ScriptModule(name: try r.string(), path: try r.string(), source: try r.string())) }
      let interactive = try r.byte() == 1
      let replay = try r.strings()
      load.replay = interactive ? replay : nil
      body = .load(load)
    case 2:
      var call = CallRequest(function: try r.int(), run: try r.int(), timeout: try r.double(), context: try r.value(), values: try r.value())
      call.endsRun = try r.byte() == 1
      body = .call(call)
    case 3: body = .endRun(run: try r.int())
    case 4: body = .shutdown
    case 5: body = .replay(try r.strings())
    case let tag: throw WireError(description: "unknown request \(tag)")
    }
    return Envelope(id: id, body: body)
  }
}

extension Envelope<WorkerResponse> {
  package func encoded() -> [UInt8] {
    var w = WireWriter()
    w.uint(UInt64(id))
    switch body {
    case .loaded(let count, let version, let facts):
      w.byte(1)
      w.int(count)
      w.string(version)
      w.value(facts)
    case .called(let result):
      w.byte(2)
      w.value(result.results)
      w.byte(result.error == nil ? 0 : 1)
      if let error = result.error { w.diagnostic(error) }
      w.log(result.log)
      w.double(result.duration)
      w.byte(result.runEnd == nil ? 0 : 1)
      if let end = result.runEnd {
        w.log(end.log)
        w.files(end.files)
      }
    case .ended(let log, let files):
      w.byte(3)
      w.log(log)
      w.files(files)
    case .goodbye(let files):
      w.byte(4)
      w.files(files)
    case .failed(let error):
      w.byte(5)
      w.diagnostic(error)
    case .output(let line, let isError):
      w.byte(6)
      w.string(line)
      w.byte(isError ? 1 : 0)
    }
    return w.frame
  }

  package static func decode(_ bytes: [UInt8]) throws -> Self {
    var r = WireReader(bytes)
    let id = UInt32(truncatingIfNeeded: try r.uint())
    let body: WorkerResponse
    switch try r.byte() {
    case 1: body = .loaded(functionCount: try r.int(), version: try r.string(), facts: try r.value())
    case 2:
      let results = try r.value()
      let error = try r.byte() == 0 ? nil : try r.diagnostic()
      var result = CallResult(results: results, error: error, log: try r.log(), duration: try r.double())
      if try r.byte() == 1 { result.runEnd = RunEnd(log: try r.log(), files: try r.files()) }
      body = .called(result)
    case 3: body = .ended(log: try r.log(), files: try r.files())
    case 4: body = .goodbye(files: try r.files())
    case 5: body = .failed(try r.diagnostic())
    case 6: body = .output(line: try r.string(), isError: try r.byte() == 1)
    case let tag: throw WireError(description: "unknown response \(tag)")
    }
    return Envelope(id: id, body: body)
  }
}

extension WireWriter {
  fileprivate mutating func diagnostic(_ e: WireDiagnostic) {
    string(e.kind.rawValue)
    string(e.message)
    optionalString(e.file)
    int(e.line)
    optionalString(e.traceback)
  }

  fileprivate mutating func files(_ files: [WorkerFile]) {
    uint(UInt64(files.count))
    for file in files {
      string(file.path)
      data(file.contents)
    }
  }

  fileprivate mutating func log(_ entries: [LogEntry]) {
    uint(UInt64(entries.count))
    for entry in entries {
      switch entry {
      case .command(let c):
        byte(1)
        string(c.command)
        string(c.location)
        byte(c.background ? 1 : 0)
        byte(c.exitCode == nil ? 0 : 1)
        if let code = c.exitCode { int(Int(code)) }
        string(c.stdout)
        string(c.stderr)
        double(c.duration)
      case .print(let text):
        byte(2)
        string(text)
      case .warning(let text):
        byte(3)
        string(text)
      }
    }
  }
}

extension WireReader {
  fileprivate mutating func diagnostic() throws -> WireDiagnostic {
    WireDiagnostic(
      kind: Diagnostic.Kind(rawValue: try string()) ?? .runtime, message: try string(), file: try optionalString(), line: try int(), traceback: try optionalString())
  }

  fileprivate mutating func files() throws -> [WorkerFile] {
    try (0..<count()).map { _ in WorkerFile(path: try string(), contents: try data()) }
  }

  fileprivate mutating func log() throws -> [LogEntry] {
    try (0..<count()).map { _ in
      switch try byte() {
      case 1:
        let command = try string()
        let location = try string()
        let background = try byte() == 1
        let code: Int32? = try byte() == 0 ? nil : Int32(truncatingIfNeeded: try int())
        return .command(
          CommandRecord(
            command: command, location: location, background: background, exitCode: code, stdout: try string(),
            stderr: try string(), duration: try double()))
      case 2: return .print(try string())
      case 3: return .warning(try string())
      case let tag: throw WireError(description: "unknown log entry \(tag)")
      }
    }
  }
}
