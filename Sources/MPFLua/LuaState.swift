internal import CLua
package import MPFCore

/// The only type that holds a `lua_State`. Not `Sendable`: confine it to one thread.
///
/// Everything outside `Lua/` talks to Lua through this class with `LuaValue`s: no pointers,
/// stack indices or `LUA_*` codes leave this folder.
package final class LuaState {
  package let L: OpaquePointer
  /// Swift closures registered as Lua functions; they live exactly as long as `L`.
  private var functions: [SwiftFunction] = []
  /// The last host error a registered function raised through Lua, to give back as itself.
  private let raised = RaisedHostError()
  /// Registry references to coroutines that must stay alive (a worker's yielded main chunk).
  private var pinned: [Int32] = []

  /// Opens a state with Lua's standard libraries (`luaL_newstate`, `luaL_openlibs`).
  package init() {
    guard let state = clua_newstate() else {
      // luaL_newstate fails only when malloc does: nothing sensible can go on.
      fatalError("mpf: out of memory creating a Lua state")
    }
    L = state
    luaL_openlibs(L)
    _ = LuaState.objectReleaseSet
  }

  /// How a state's `__gc` releases a host object, set once for the process (states are made
  /// on several threads at once: in-process workers, the REPL's; ThreadSanitizer saw the race).
  private static let objectReleaseSet: Void = {
    clua_set_object_release { raw in
      if let raw { Unmanaged<LuaObject>.fromOpaque(raw).release() }
    }
  }()

  /// Finalizers (`__gc`) run as the state closes, when whatever the registered functions
  /// capture (the script, its primitives) may already be gone: they then get a Lua error,
  /// which Lua turns into a warning, instead of a call into freed memory.
  deinit {
    for function in functions { function.closing = true }
    clua_close(L)
  }

  /// Runs a chunk in protected mode (`luaL_loadbufferx`, then `lua_pcall`) and returns its results.
  ///
  /// - Parameter chunkName: `@file.lua` for user files (locations name them), `=name` for mpf's own.
  @discardableResult
  package func run(source: String, chunkName: String) throws(Diagnostic) -> [LuaValue] {
    let base = lua_gettop(L)
    defer { lua_settop(L, base) }
    lua_pushcclosure(L, clua_msghandler, 0)
    try load(source: source, chunkName: chunkName, into: L)
    guard clua_pcall(L, 0, LUA_MULTRET, base + 1) == LUA_OK else {
      throw error(at: -1, kind: .runtime)
    }
    return (base + 2..<lua_gettop(L) + 1).map { LuaValue(at: $0, in: L) }
  }

  /// Runs a chunk as a coroutine that may yield for good (a worker's script stops at
  /// `mpf.run_experiment` this way, even inside a `pcall`). The coroutine is kept alive so
  /// that the closures it made keep their upvalues.
  ///
  /// - Returns: true when the chunk yielded, false when it ran to its end.
  /// The registry field holding the thread `runYielding` runs its chunk on.
  package static let scriptThreadKey = "mpf.script_thread"
  /// The registry field holding that chunk's name (where a call whose line is gone, a tail
  /// call `return f()`, is said to be).
  package static let scriptChunkKey = "mpf.script_chunk"

  @discardableResult
  package func runYielding(source: String, chunkName: String) throws(Diagnostic) -> Bool {
    let base = lua_gettop(L)
    defer { lua_settop(L, base) }
    guard let co = lua_newthread(L) else { throw Diagnostic(.runtime, "cannot create a coroutine") }
    // Known to mpf's library as the script's own thread (a coroutine the script makes is not).
    lua_pushvalue(L, -1)
    lua_setfield(L, clua_registryindex(), LuaState.scriptThreadKey)
    chunkName.push(onto: L)
    lua_setfield(L, clua_registryindex(), LuaState.scriptChunkKey)
    pinned.append(luaL_ref(L, clua_registryindex()))
    try load(source: source, chunkName: chunkName, into: co)
    var nresults: Int32 = 0
    let status = lua_resume(co, L, 0, &nresults)
    switch status {
    case LUA_YIELD:
      clua_pop(co, nresults)
      return true
    case LUA_OK:
      return false
    default:
      let message = lua_type(co, -1) == LUA_TSTRING ? String(luaString: co, at: -1) : "(error object is not a string)"
      let bytes = Array(message.utf8)
      bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { clua_pusherrorinfo(L, co, 0, $0.baseAddress, buffer.count) }
      }
      throw error(at: -1, kind: .runtime)
    }
  }

  /// Calls a Lua function held in a registry reference, in protected mode.
  package func call(_ function: LuaReference, _ arguments: [LuaValue]) throws(Diagnostic) -> [LuaValue] {
    let base = lua_gettop(L)
    defer { lua_settop(L, base) }
    lua_pushcclosure(L, clua_msghandler, 0)
    lua_rawgeti(L, clua_registryindex(), lua_Integer(function.ref))
    for argument in arguments { argument.push(onto: L) }
    guard clua_pcall(L, Int32(arguments.count), LUA_MULTRET, base + 1) == LUA_OK else {
      throw error(at: -1, kind: .runtime)
    }
    return (base + 2..<lua_gettop(L) + 1).map { LuaValue(at: $0, in: L) }
  }

  /// Runs a chunk that returns a table (a module) and keeps a reference to that table.
  package func runModule(source: String, chunkName: String) throws(Diagnostic) -> LuaReference {
    let base = lua_gettop(L)
    defer { lua_settop(L, base) }
    lua_pushcclosure(L, clua_msghandler, 0)
    try load(source: source, chunkName: chunkName, into: L)
    guard clua_pcall(L, 0, 1, base + 1) == LUA_OK else { throw error(at: -1, kind: .runtime) }
    guard lua_type(L, -1) == LUA_TTABLE else { throw Diagnostic(.runtime, "\(chunkName) did not return a table") }
    return LuaReference(ref: luaL_ref(L, clua_registryindex()))
  }

  /// Makes `require(module)` load `source` (`package.preload[module]`), without running it now.
  package func preload(module: String, source: String, chunkName: String) throws(Diagnostic) {
    let base = lua_gettop(L)
    defer { lua_settop(L, base) }
    try load(source: source, chunkName: chunkName, into: L)  // stack: chunk
    clua_pushglobaltable(L)
    "package".push(onto: L)
    lua_rawget(L, -2)  // stack: chunk, _G, package
    guard lua_type(L, -1) == LUA_TTABLE else { throw Diagnostic(.runtime, "the Lua state has no package library") }
    "preload".push(onto: L)
    lua_rawget(L, -2)  // stack: chunk, _G, package, preload
    guard lua_type(L, -1) == LUA_TTABLE else { throw Diagnostic(.runtime, "the Lua state has no package.preload") }
    module.push(onto: L)
    lua_pushvalue(L, base + 1)
    lua_rawset(L, -3)  // preload[module] = chunk
  }

  /// Takes a reference to the function `name` of the table held by `module`.
  package func reference(function name: String, in module: LuaReference) -> LuaReference? {
    let base = lua_gettop(L)
    defer { lua_settop(L, base) }
    lua_rawgeti(L, clua_registryindex(), lua_Integer(module.ref))
    name.push(onto: L)
    lua_rawget(L, -2)  // stack: module, value
    guard lua_type(L, -1) == LUA_TFUNCTION else { return nil }
    return LuaReference(ref: luaL_ref(L, clua_registryindex()))
  }

  /// Makes running Lua code raise `timeout: ...` after `seconds` (0: no deadline), through
  /// an instruction-count hook (`clua_set_deadline`).
  package func setDeadline(_ seconds: Double) { clua_set_deadline(L, seconds) }

  /// Makes the running code raise `interrupted` (from any thread: Ctrl-C in `mpf repl`).
  package func interrupt() { clua_interrupt(L) }

  /// Forgets an interrupt that came after the code it was meant for had ended.
  package func clearInterrupt() { clua_clear_interrupt(L) }

  /// Whether the deadline set last has passed: an error raised now is a timeout.
  package var deadlinePassed: Bool { clua_deadline_passed(L) != 0 }

  /// Registers `table.mark_error(kind, message)`: Lua code calls it just before
  /// `error(message)` to give the error a kind (`usage`: the script misuses mpf, the same way
  /// on every run), which the resulting `Diagnostic` then carries.
  package func registerErrorKinds(in table: String) {
    let raised = self.raised
    register("mark_error", in: table) { args in
      guard args.count == 2, let name = args[0].stringValue, let kind = Diagnostic.Kind(rawValue: name),
        let message = args[1].stringValue
      else { throw LuaRaise("mark_error expects (kind, message)") }
      raised.error = KindMark(kind: kind)
      raised.message = message
      return []
    }
  }

  /// Registers the userdata type `name` (its metatable, in the registry under that name, as
  /// `luaL_newmetatable` makes it), so that `.object` values of that type can be pushed. Lua
  /// code fills in the metatable's `__index` and other metamethods.
  package func defineObjectType(_ name: String) { _ = clua_newobjecttype(L, name) }

  /// Sets a global (raw, no metamethods).
  package func setGlobal(_ name: String, _ value: LuaValue) {
    clua_pushglobaltable(L)
    name.push(onto: L)
    value.push(onto: L)
    lua_rawset(L, -3)
    clua_pop(L, 1)
  }

  /// Reads a global (raw, no metamethods).
  package func global(_ name: String) -> LuaValue {
    clua_pushglobaltable(L)
    name.push(onto: L)
    lua_rawget(L, -2)
    defer { clua_pop(L, 2) }
    return LuaValue(at: -1, in: L)
  }

  /// Makes `body` callable from Lua as `table.name(...)`, creating global `table` if needed.
  ///
  /// A thrown error becomes a Lua error raised at the caller's line, prefixed with `name: `
  /// unless it is a `LuaRaise`, whose message is raised as is.
  /// `body` owns its arguments: it can let go of them (`consume`) before it returns.
  /// - Parameter handedOver: the arguments leave Lua once read: they are taken off the call's
  ///   stack and a full collection runs before `body`, so that a table only they held is freed
  ///   while `body` runs (run_experiment's description, which may hold 100 000 values).
  package func register(
    _ name: String, in table: String, handedOver: Bool = false, _ body: @escaping (consuming [LuaValue]) throws -> [LuaValue]
  ) {
    let function = SwiftFunction(name: "\(table).\(name)", body: body, raised: raised, handedOver: handedOver)
    functions.append(function)
    clua_pushglobaltable(L)
    table.push(onto: L)
    lua_rawget(L, -2)  // stack: _G, table?
    if lua_type(L, -1) != LUA_TTABLE {
      clua_pop(L, 1)
      clua_newtable(L)
      table.push(onto: L)
      lua_pushvalue(L, -2)
      lua_rawset(L, -4)  // _G[table] = new table; stack: _G, table
    }
    name.push(onto: L)
    clua_pushswiftfunction(L, dispatch, Unmanaged.passUnretained(function).toOpaque())
    lua_rawset(L, -3)
    clua_pop(L, 2)
  }

  private func load(source: String, chunkName: String, into state: OpaquePointer) throws(Diagnostic) {
    var source = source
    let status = source.withUTF8 { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        clua_loadbuffer(state, chars.baseAddress, chars.count, chunkName)
      }
    }
    guard status == LUA_OK else {
      let message = String(luaString: state, at: -1)
      clua_pop(state, 1)
      throw Diagnostic(kind: .syntax, luaMessage: Self.wholePath(in: message, chunkName: chunkName), fallback: nil, traceback: nil)
    }
  }

  /// A syntax error names its file as Lua's short form does (`...` and the tail of a path of
  /// over 60 characters): the whole path back in its place (runtime errors get it in clua_shim).
  static func wholePath(in message: String, chunkName: String) -> String {
    guard chunkName.hasPrefix("@"), message.hasPrefix("...") else { return message }
    let path = chunkName.dropFirst()
    let rest = message.dropFirst(3)
    for start in path.indices {
      let tail = path[start...]
      if rest.hasPrefix(tail + ":") { return String(path) + rest.dropFirst(tail.count) }
    }
    return message
  }

  /// Turns the error object at `index` (a clua_msghandler table, or a bare string) into a Diagnostic.
  private func error(at index: Int32, kind: Diagnostic.Kind) -> Diagnostic {
    var diagnostic = luaError(at: index, kind: kind)
    // A host error (cluster, ssh, disk) that crossed Lua comes back as itself, unless the
    // script caught it and raised something else.
    if let host = raised.error, diagnostic.locatedMessage.contains(raised.message) {
      if let mark = host as? KindMark { diagnostic.kind = mark.kind } else { diagnostic.hostError = host }
    }
    raised.error = nil
    return diagnostic
  }

  private func luaError(at index: Int32, kind: Diagnostic.Kind) -> Diagnostic {
    let value = LuaValue(at: index, in: L)
    guard case .table = value else {
      return Diagnostic(kind: kind, luaMessage: value.displayString, fallback: nil, traceback: nil)
    }
    let message = value["message"].stringValue ?? "unknown error"
    var fallback: SourceLocation?
    if let source = value["source"].stringValue, let line = value["line"].intValue {
      fallback = SourceLocation(file: source, line: Int(line))
    }
    return Diagnostic(kind: kind, luaMessage: message, fallback: fallback, traceback: value["traceback"].stringValue)
  }
}

/// A registry reference to a Lua value (`luaL_ref`), valid for the state that made it.
package struct LuaReference {
  package let ref: Int32
}

/// A Swift closure callable from Lua; boxed so that C can carry it as light userdata.
private final class SwiftFunction {
  let name: String
  let body: (consuming [LuaValue]) throws -> [LuaValue]
  let raised: RaisedHostError
  let handedOver: Bool
  /// Set as the state closes: the body is not called any more.
  var closing = false
  init(name: String, body: @escaping (consuming [LuaValue]) throws -> [LuaValue], raised: RaisedHostError, handedOver: Bool) {
    self.name = name
    self.body = body
    self.raised = raised
    self.handedOver = handedOver
  }
}

/// The kind Lua code gave the error it is about to raise (`mark_error`).
private struct KindMark: Error {
  var kind: Diagnostic.Kind
}

/// The host error last raised through Lua by a registered function, and the message Lua got.
private final class RaisedHostError {
  var error: (any Error)?
  var message = ""
}

/// Every Swift function that Lua calls goes through here. It never raises: on error it leaves
/// the message on the stack and returns CLUA_RAISE, and clua_trampoline raises once Swift has
/// returned.
private func dispatch(_ L: OpaquePointer?) -> Int32 {
  guard let L, let box = lua_touserdata(L, clua_upvalueindex(2)) else { return 0 }
  let function = Unmanaged<SwiftFunction>.fromOpaque(box).takeUnretainedValue()
  guard !function.closing else {
    "\(function.name): not available while the Lua state closes (a __gc finalizer at the end)".push(onto: L)
    return CLUA_RAISE
  }
  do {
    let arguments = (0..<lua_gettop(L)).map { LuaValue(at: $0 + 1, in: L) }
    if function.handedOver {
      // This call's stack only (L may be a coroutine's); the collection is the whole state's.
      lua_settop(L, 0)
      clua_gc_collect(L)
    }
    // Handed over: a function that runs long (`run_experiment`) can let go of its arguments.
    let results = try function.body(consume arguments)
    for result in results { result.push(onto: L) }
    return Int32(results.count)
  } catch let raise as LuaRaise {
    raise.message.push(onto: L)
    return CLUA_RAISE
  } catch {
    let message = "\(function.name): \(error)"
    function.raised.error = error
    function.raised.message = message
    message.push(onto: L)
    return CLUA_RAISE
  }
}
