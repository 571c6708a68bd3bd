/// What the controller asks a worker. Every request gets exactly one response with its id.
enum WorkerRequest: Sendable, Equatable {
  /// Load the experiment script (its text travels with the request: nodes need no copy).
  case load(LoadRequest)
  /// Call registered function `function` with a run's context and variable values.
  case call(CallRequest)
  /// The run is over: end every process it started and hand back their output.
  case endRun(run: Int)
  /// The experiment is over: end everything and exit.
  case shutdown
}

struct LoadRequest: Sendable, Equatable {
  var scriptName: String
  var scriptSource: String
  var arguments: [String]
  var role: String
}

struct CallRequest: Sendable, Equatable {
  var function: Int
  var run: Int
  /// Seconds the call may take (0: no limit); the worker ends it and its commands after.
  var timeout: Double = 0
  var context: LuaValue
  var values: LuaValue
}

/// What a worker answers.
enum WorkerResponse: Sendable, Equatable {
  case loaded(functionCount: Int, version: String, facts: LuaValue)
  case called(CallResult)
  case ended(log: [LogEntry], files: [WorkerFile])
  case goodbye(files: [WorkerFile])
  /// The request failed as a whole (the script did not load, the message made no sense).
  case failed(WireScriptError)
}

struct CallResult: Sendable, Equatable {
  /// The returned table, or nil when the function returned nothing.
  var results: LuaValue
  var error: WireScriptError?
  var log: [LogEntry]
  var duration: Double
}

/// A file from an `mpf.md` directory, brought back to the controller.
struct WorkerFile: Sendable, Equatable {
  /// Relative to the scope's directory (`out.txt`, `fn-2/trace.pcap`).
  var path: String
  var contents: [UInt8]
}

/// One line of a function's log: a command it ran, or something it printed.
enum LogEntry: Sendable, Equatable {
  case command(CommandRecord)
  case print(String)
  case warning(String)
}

/// A command run by `ex`: what ran, where in the script, and what came out.
public struct CommandRecord: Sendable, Equatable {
  public var command: String
  public var location: String
  public var background: Bool
  public var exitCode: Int32?
  public var stdout: String
  public var stderr: String
  public var duration: Double
}

extension CommandRecord {
  /// What `ex` returns to Lua: `{lines = {...}, code = n, stderr = "..."}`.
  var luaValue: LuaValue {
    .record([
      "lines": .list(stdout.lines().map { .string($0) }),
      "code": exitCode.map { .integer(Int64($0)) } ?? .nil,
      "stderr": .string(stderr),
    ])
  }
}

/// A `ScriptError` as it crosses the wire.
struct WireScriptError: Sendable, Equatable {
  var kind: String
  var message: String
  var file: String?
  var line: Int
  var traceback: String?

  init(_ error: ScriptError) {
    kind = error.kind.rawValue
    message = error.message
    file = error.location?.file
    line = error.location?.line ?? 0
    traceback = error.traceback
  }

  init(kind: String, message: String, file: String?, line: Int, traceback: String?) {
    self.kind = kind
    self.message = message
    self.file = file
    self.line = line
    self.traceback = traceback
  }

  var scriptError: ScriptError {
    ScriptError(
      ScriptError.Kind(rawValue: kind) ?? .runtime, message, at: file.map { SourceLocation(file: $0, line: line) },
      traceback: traceback)
  }
}

/// A request or response with the id that pairs them.
struct Envelope<Body: Sendable>: Sendable {
  var id: UInt32
  var body: Body
}
