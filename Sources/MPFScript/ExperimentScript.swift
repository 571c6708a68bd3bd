package import MPFCore
package import MPFLua
package import MPFSystem
/// An experiment script loaded in a Lua state with mpf's library, as controller or as worker.
///
/// Both sides run the same script, so the registered functions line up by index: the
/// controller gets the experiment's declaration through `mpf.run_experiment`, a worker
/// stops its script there for good and then calls functions by index.
package final class ExperimentScript {
  package enum Mode: String {
    case controller, worker
  }

  package let lua = LuaState()
  private let callFunction: LuaReference
  private let deliverFunction: LuaReference
  private let prepareFunction: LuaReference
  private let replayFunction: LuaReference
  private let evalFunction: LuaReference?
  private let displayFunction: LuaReference?
  private let completeFunction: LuaReference?
  /// The library's registry as the host sees it (scripts cannot reach it): flags it sets,
  /// what mpf check and mpf repl read back.
  private let setFlagFunction: LuaReference
  private let checkReportFunction: LuaReference
  private let scriptLineFunction: LuaReference
  private let declaredRolesFunction: LuaReference

  /// Opens a state and loads the stdlib with `primitives` as its host functions.
  ///
  /// - Throws: `Diagnostic` if the embedded stdlib fails to load (a build problem).
  ///
  /// - Parameter interactive: an `mpf repl` session (its controller, or a worker replaying it):
  ///   variables may be declared again, experiments run more than once;
  ///   `pins`: variables held to one value (`--pin NAME=VALUE`), by name;
  ///   `storedModules`: modules `require` takes as they are, before looking along package.path
  ///   (mpf replay: the original's modules, from the bundle).
  package init(
    mode: Mode, arguments: [String], primitives: ScriptPrimitives, interactive: Bool = false, pins: [String: String] = [:],
    storedModules: [ScriptModule] = []
  ) throws(Diagnostic) {
    lua.setGlobal(
      "_mpf_host",
      .record([
        "mode": .string(mode.rawValue), "version": .string(MPFVersion.current), "args": .list(arguments.map { .string($0) }),
        "interactive": .boolean(interactive), "pins": .record(pins.mapValues { .string($0) }),
      ]))
    lua.register("exec", in: "_mpf_host") { args in
      guard let command = args.first?.stringValue else { throw LuaRaise("ex expects a command string") }
      return [try primitives.exec(command, args.count > 1 && args[1] == .boolean(true), args.count > 2 ? args[2].displayString : "?")]
    }
    lua.register("log", in: "_mpf_host") { args in
      primitives.log(args.first?.displayString ?? "")
      return []
    }
    lua.register("md", in: "_mpf_host") { args in [.string(try primitives.directory(args.first?.stringValue ?? "run"))] }
    lua.register("run_experiment", in: "_mpf_host", handedOver: true) { (args: consuming [LuaValue]) in
      // The description is let go of once read, here and in Lua (a variable of 100 000
      // values is 2.4 MB here, 2 MB of Lua table there).
      let spec = args.first ?? .nil
      _ = consume args
      return [try primitives.runExperiment(consume spec)]
    }
    lua.register("load", in: "_mpf_host") { args in
      guard let dir = args.first?.stringValue else { throw LuaRaise("mpf.load expects an experiment directory or id") }
      return [try primitives.load(dir)]
    }
    lua.register("on", in: "_mpf_host") { args in
      guard args.count == 2, let role = args[0].stringValue, let index = args[1].intValue else { throw LuaRaise("mpf.on expects (role, function)") }
      return [try primitives.on(role, Int(index))]
    }
    lua.register("dataframe", in: "_mpf_host") { args in
      guard args.count >= 2, let operation = args[0].stringValue, case .object(let frame) = args[1] else {
        throw LuaRaise("expects a dataframe")
      }
      return [try primitives.dataframe(operation, frame, Array(args.dropFirst(2)))]
    }
    lua.registerErrorKinds(in: "_mpf_host")
    let lua = self.lua
    // sleep(seconds): in slices, so that a function's timeout still ends it.
    lua.register("sleep", in: "_mpf_host") { [unowned lua] args in
      guard let seconds = args.first?.doubleValue, seconds.isFinite, seconds >= 0 else {
        throw LuaRaise("mpf.sleep expects a number of seconds >= 0")
      }
      let until = Clock.monotonic() + seconds
      while Clock.monotonic() < until {
        if lua.deadlinePassed { throw LuaRaise("timeout: the function ran past its timeout in mpf.sleep") }
        Clock.sleep(min(0.05, until - Clock.monotonic()))
      }
      return []
    }
    lua.register("read_source", in: "_mpf_host") { args in
      guard let path = args.first?.stringValue else { throw LuaRaise("read_source expects a path") }
      do { return [.string(try Self.readSource(path))] } catch { throw LuaRaise("\(error)") }
    }
    // stored_module(name) → {path, source} of a module given with the script, or nil.
    let stored = Dictionary(storedModules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    lua.register("stored_module", in: "_mpf_host") { args in
      guard let name = args.first?.stringValue, let module = stored[name] else { return [.nil] }
      return [.record(["path": .string(module.path), "source": .string(module.source)])]
    }
    lua.register("now", in: "_mpf_host") { _ in [.number(Clock.monotonic())] }
    // quantity(text) → {value, unit} in base units, or nil when the text is not one.
    lua.register("quantity", in: "_mpf_host") { args in
      guard let text = args.first?.stringValue, let quantity = Quantity(parsing: text) else { return [.nil] }
      return [.record(["value": .number(quantity.value), "unit": .string(quantity.unit)])]
    }
    // port_open(host, port, seconds): a listener seen in /proc/net/tcp when host is this
    // machine's (no connection taken from a one-connection server), else one connection attempt.
    lua.register("port_open", in: "_mpf_host") { args in
      guard args.count == 3, let host = args[0].stringValue, let port = args[1].intValue, let seconds = args[2].doubleValue else {
        throw LuaRaise("port_open expects (host, port, seconds)")
      }
      return [.boolean(PortProbe.listening(host: host, port: Int(port)) ?? PortProbe.accepts(host: host, port: Int(port), timeout: seconds))]
    }
    // The dataframe's userdata type: the stdlib (mpf.dataframe) fills in its metatable.
    lua.defineObjectType(Self.dataframeType)
    // Every part is loadable by `require 'mpf.NAME'`; the main chunk requires them.
    for chunk in Stdlib.chunks where chunk.name != Stdlib.main {
      try lua.preload(module: chunk.name, source: chunk.source, chunkName: "=\(chunk.name)")
    }
    guard let main = Stdlib.chunks.first(where: { $0.name == Stdlib.main }) else {
      throw Diagnostic(.runtime, "mpf's Lua library has no main chunk")
    }
    let module: LuaReference? = try lua.runModule(source: main.source, chunkName: "=mpf")
    guard let module, let call = lua.reference(function: "call", in: module),
      let deliver = lua.reference(function: "deliver", in: module),
      let prepare = lua.reference(function: "prepare", in: module),
      let replay = lua.reference(function: "replay", in: module),
      let setFlag = lua.reference(function: "set_flag", in: module),
      let checkReport = lua.reference(function: "check_report", in: module),
      let scriptLine = lua.reference(function: "script_line", in: module),
      let declaredRoles = lua.reference(function: "declared_roles", in: module)
    else {
      throw Diagnostic(.runtime, "mpf's Lua library did not load (internal functions missing)")
    }
    callFunction = call
    deliverFunction = deliver
    prepareFunction = prepare
    replayFunction = replay
    (setFlagFunction, checkReportFunction, scriptLineFunction, declaredRolesFunction) = (setFlag, checkReport, scriptLine, declaredRoles)
    evalFunction = lua.reference(function: "repl_eval", in: module)
    displayFunction = lua.reference(function: "repl_display", in: module)
    completeFunction = lua.reference(function: "repl_complete", in: module)
  }

  /// The userdata type of dataframes in Lua.
  package static let dataframeType = "mpf.DataFrame"

  /// The most a script, or a module it requires, may hold (`mpf check /dev/zero` read without end).
  package static let sourceLimit = 16 << 20

  /// The text of a script or a module it requires: the one reader of Lua files (the host's
  /// `mpf`, `check`, `repl`, and mpf.modules through `_mpf_host.read_source`), refusing a file
  /// larger than `sourceLimit` or not a regular file before reading it all.
  ///
  /// - Throws: `SystemError` naming the file.
  package static func readSource(_ path: String) throws -> String {
    String(decoding: try FileSystem.readRegularFile(path, atMost: sourceLimit, what: "Lua script"), as: UTF8.self)
  }

  /// The chunk name for a script path: `@path`, so that messages say `path:line`.
  package static func chunkName(for path: String) -> String { "@" + path }

  /// Runs the script on the controller (to its end, `mpf.run_experiment` included). Modules
  /// are looked for next to the script first (`require 'helpers'` finds helpers.lua there).
  package func runAsController(path: String, source: String) throws(Diagnostic) {
    try findModules(beside: path)
    try lua.run(source: source, chunkName: Self.chunkName(for: path))
  }

  /// Modules are looked for next to the script first (`require 'helpers'` finds helpers.lua there).
  private func findModules(beside path: String) throws(Diagnostic) {
    lua.setGlobal("_mpf_script_folder", .string(FileSystem.dirname(path)))
    _ = try lua.run(
      source: "package.path = _mpf_script_folder .. '/?.lua;' .. _mpf_script_folder .. '/?/init.lua;' .. package.path; _mpf_script_folder = nil",
      chunkName: "=mpf.path")
  }

  /// Runs the script for `mpf repl`: like `runAsController`, but it stops at
  /// `mpf.run_experiment`, which the prompt then runs.
  ///
  /// - Returns: the line of the script's `mpf.run_experiment`, nil when it has none.
  package func runInteractively(path: String, source: String) throws(Diagnostic) -> Int? {
    try findModules(beside: path)
    _ = try lua.call(setFlagFunction, ["loading_script", true])
    defer { _ = try? lua.call(setFlagFunction, ["loading_script", false]) }
    guard try lua.runYielding(source: source, chunkName: Self.chunkName(for: path)) else { return nil }
    return try lua.call(scriptLineFunction, []).first?.intValue.map { Int($0) }
  }

  /// What `mpf check` found: problems (each `file:line: message`), and what was declared.
  package struct CheckReport: Sendable {
    package var problems: [String] = []
    /// What is likely a mistake but may not be (a `$name` of ex that nothing expands).
    package var warnings: [String] = []
    /// Each fixed role a function runs on, with where it was declared.
    package var roles: [(role: String, location: String)] = []
    package var variables = 0
    package var functions = 0
    /// The line of the script's `mpf.run_experiment`, nil when it has none.
    package var experimentLine: Int?
    /// What `mpf.run_experiment` would hand the host (`ExperimentSpec` reads it).
    package var spec: LuaValue = .nil
  }

  /// Runs the script for `mpf check`: declarations happen, commands and prints do not, and it
  /// stops at `mpf.run_experiment`, which collects every problem it would raise.
  ///
  /// - Throws: `Diagnostic` for an error the script raises before (a syntax error, a bad
  ///   declaration), at its line.
  package func check(path: String, source: String) throws(Diagnostic) -> CheckReport {
    try findModules(beside: path)
    _ = try lua.call(setFlagFunction, ["checking", true])
    var report = CheckReport()
    guard try lua.runYielding(source: source, chunkName: Self.chunkName(for: path)) else { return report }
    let found = try lua.call(checkReportFunction, []).first ?? .nil
    report.problems = found["problems"].tableValue?.array.compactMap(\.stringValue) ?? []
    report.warnings = found["warnings"].tableValue?.array.compactMap(\.stringValue) ?? []
    report.roles = found["roles"].tableValue?.array.compactMap { item in
      item["role"].stringValue.map { ($0, "\(item["source"].displayString):\(item["line"].displayString)") }
    } ?? []
    report.variables = Int(found["variables"].intValue ?? 0)
    report.functions = Int(found["functions"].intValue ?? 0)
    report.experimentLine = found["line"].intValue.map { Int($0) }
    report.spec = found["spec"]
    return report
  }

  /// What `mpf repl` does with a chunk typed at its prompt.
  package enum Evaluation: Equatable {
    /// It ran: `output` is what its values print as (empty for a statement); `ran` is the text
    /// that ran, for the workers to replay.
    case ran(output: String, ran: String)
    /// The chunk is not complete yet: ask for another line.
    case incomplete
    /// It failed: `ran` is the text that ran up to the error (nil when it did not load, or was
    /// interrupted), for the workers to replay.
    case failed(String, ran: String?)
  }

  /// Evaluates a chunk at `mpf repl`'s prompt (controller only).
  package func evaluate(_ text: String) throws(Diagnostic) -> Evaluation {
    guard let evalFunction else { throw Diagnostic(.runtime, "not an interactive controller") }
    let results = try lua.call(evalFunction, [.string(text)])
    lua.clearInterrupt()
    switch results.first?.stringValue {
    case "ok": return .ran(output: results.count > 1 ? results[1].stringValue ?? "" : "", ran: results.count > 2 ? results[2].stringValue ?? text : text)
    case "incomplete": return .incomplete
    default: return .failed(results.count > 1 ? results[1].displayString : "error", ran: results.count > 2 ? results[2].stringValue : nil)
    }
  }

  /// How the value the last evaluated chunk ended with shows beyond text (`mpf repl
  /// --machine`): a dataframe as JSON `{columns, data}`, or the path of an SVG; nil otherwise.
  package func display() -> (kind: String, payload: String)? {
    guard let displayFunction, let results = try? lua.call(displayFunction, []), results.count > 1,
      let kind = results[0].stringValue, let payload = results[1].stringValue
    else { return nil }
    return (kind, payload)
  }

  /// The completions of `word` at `mpf repl`'s prompt: globals, fields, methods.
  package func completions(of word: String) -> [String] {
    guard let completeFunction, let list = try? lua.call(completeFunction, [.string(word)]).first?.tableValue else { return [] }
    return list.array.compactMap(\.stringValue)
  }

  /// The fixed roles of the functions declared so far, in order.
  package func declaredRoles() -> [String] {
    guard let list = try? lua.call(declaredRolesFunction, []).first?.tableValue else { return [] }
    return list.array.compactMap(\.stringValue)
  }

  /// Replays what was typed at `mpf repl`'s prompt on a worker, for its definitions.
  package func replay(_ chunks: [String]) throws(Diagnostic) {
    guard !chunks.isEmpty else { return }
    _ = try lua.call(replayFunction, [.list(chunks.map { .string($0) })])
  }

  /// Runs the script on a worker: registrations happen, and it stops at `mpf.run_experiment`.
  /// `modules` are what the script requires, loadable by `require` without any file here.
  package func runAsWorker(path: String, source: String, modules: [ScriptModule] = []) throws(Diagnostic) {
    for module in modules { try lua.preload(module: module.name, source: module.source, chunkName: "@" + module.path) }
    try lua.runYielding(source: source, chunkName: Self.chunkName(for: path))
  }

  /// Makes the Lua code running now raise `interrupted` (from any thread: Ctrl-C in `mpf repl`).
  package func interrupt() { lua.interrupt() }

  /// Makes the running Lua code raise `timeout: ...` after `seconds` (0: no deadline).
  package func setDeadline(_ seconds: Double) { lua.setDeadline(seconds) }

  /// Whether the deadline set last has passed.
  package var deadlinePassed: Bool { lua.deadlinePassed }

  /// Calls the script's `mpf.before` functions with `context` (the experiment's id and dir).
  package func prepare(_ context: LuaValue) throws(Diagnostic) {
    _ = try lua.call(prepareFunction, [context])
  }

  /// Calls the script's `on_run(df, row)` with the dataframe so far and the new row.
  /// Hands a recorded run to the script (`on_run`); returns what it says of the run for
  /// `mpf.search` (true: good enough), nil without a search.
  @discardableResult
  package func deliver(_ dataframe: LuaValue, _ row: LuaValue) throws(Diagnostic) -> LuaValue {
    try lua.call(deliverFunction, [dataframe, row]).first ?? .nil
  }

  /// Calls registered function `index` (1-based) with the run's context and values.
  ///
  /// - Returns: the table it returned, or `.nil`.
  /// - Throws: `Diagnostic` located at the user's line.
  package func call(function index: Int, context: LuaValue, values: LuaValue) throws(Diagnostic) -> LuaValue {
    try lua.call(callFunction, [.integer(Int64(index)), context, values]).first ?? .nil
  }
}
