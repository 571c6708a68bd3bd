package import MPFCore
/// What the controller asks a worker. Every request gets exactly one response with its id.
package enum WorkerRequest: Sendable, Equatable {
  /// Load the experiment script (its text travels with the request: nodes need no copy).
  case load(LoadRequest)
  /// Call registered function `function` with a run's context and variable values.
  case call(CallRequest)
  /// The run is over: end every process it started and hand back their output.
  case endRun(run: Int)
  /// The experiment is over: end everything and exit.
  case shutdown
  /// `mpf repl`: chunks typed at the prompt since the worker loaded, replayed for their
  /// definitions (answered with `loaded`).
  case replay([String])
}

package struct LoadRequest: Sendable, Equatable {
  package var scriptName: String
  package var scriptSource: String
  package var arguments: [String]
  package var role: String
  /// The modules the script requires, made loadable before it runs.
  package var modules: [ScriptModule] = []
  /// An `mpf repl` session: the chunks typed at its prompt so far, replayed after the script
  /// for their definitions (nil for a script run).
  package var replay: [String]?

  /// A value with each property given.
  package init(scriptName: String, scriptSource: String, arguments: [String], role: String, modules: [ScriptModule] = []) {
    self.scriptName = scriptName
    self.scriptSource = scriptSource
    self.arguments = arguments
    self.role = role
    self.modules = modules
  }
}

package struct CallRequest: Sendable, Equatable {
  package var function: Int
  package var run: Int
  /// Seconds the call may take (0: no limit); the worker ends it and its commands after.
  package var timeout: Double = 0
  package var context: LuaValue
  package var values: LuaValue
  /// The run's last call on this worker: the worker ends the run right after it (as `endRun`
  /// does) and answers both at once, a round trip less per worker and run.
  package var endsRun = false

  /// A value with each property given.
  package init(function: Int, run: Int, timeout: Double = 0, context: LuaValue, values: LuaValue) {
    self.function = function
    self.run = run
    self.timeout = timeout
    self.context = context
    self.values = values
  }
}

/// What a worker answers.
package enum WorkerResponse: Sendable, Equatable {
  case loaded(functionCount: Int, version: String, facts: LuaValue)
  case called(CallResult)
  case ended(log: [LogEntry], files: [WorkerFile])
  case goodbye(files: [WorkerFile])
  /// The request failed as a whole (the script did not load, the message made no sense).
  case failed(WireDiagnostic)
  /// A line a run's or init's function printed, or one of its command's output (`isError`:
  /// the command's standard error), sent as it comes while the call runs, with id 0 (no
  /// request's): only in an interactive session (`LoadRequest.replay`), which shows them.
  case output(line: String, isError: Bool)
}

package struct CallResult: Sendable, Equatable {
  /// The returned table, or nil when the function returned nothing.
  package var results: LuaValue
  package var error: WireDiagnostic?
  package var log: [LogEntry]
  package var duration: Double
  /// Controller side only (not sent): the worker did not answer past the timeout and was ended.
  package var workerEnded = false
  /// The end of the run, when the request asked for it (`endsRun`).
  package var runEnd: RunEnd?

  package init(results: LuaValue, error: WireDiagnostic? = nil, log: [LogEntry], duration: Double) {
    self.results = results
    self.error = error
    self.log = log
    self.duration = duration
  }
}

/// What a worker gives back when a run ends: its background commands' log, its `mpf.md` files.
package struct RunEnd: Sendable, Equatable {
  package var log: [LogEntry]
  package var files: [WorkerFile]

  package init(log: [LogEntry], files: [WorkerFile]) {
    self.log = log
    self.files = files
  }
}

/// A `Diagnostic` as it crosses the wire.
package struct WireDiagnostic: Sendable, Equatable {
  package var kind: Diagnostic.Kind
  package var message: String
  package var file: String?
  package var line: Int
  package var traceback: String?

  package init(_ error: Diagnostic) {
    kind = error.kind
    message = error.message
    file = error.location?.file
    line = error.location?.line ?? 0
    traceback = error.traceback
  }

  package init(kind: Diagnostic.Kind, message: String, file: String?, line: Int, traceback: String?) {
    self.kind = kind
    self.message = message
    self.file = file
    self.line = line
    self.traceback = traceback
  }

  package var diagnostic: Diagnostic {
    Diagnostic(
      kind, message, at: file.map { SourceLocation(file: $0, line: line) },
      traceback: traceback)
  }
}

/// A request or response with the id that pairs them.
package struct Envelope<Body: Sendable>: Sendable {
  package var id: UInt32
  package var body: Body

  package init(id: UInt32, body: Body) {
    self.id = id
    self.body = body
  }
}
