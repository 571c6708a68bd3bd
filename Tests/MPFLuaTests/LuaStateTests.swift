import Testing
import MPFCore
import MPFLua


@Suite struct LuaStateTests {
  @Test func valuesRoundTripThroughLua() throws {
    let lua = LuaState()
    let value = LuaValue.record([
      "int": 42, "float": 1.5, "text": "a\0b", "yes": true,
      "list": .list([1, "two", .list([3])]),
    ])
    lua.setGlobal("v", value)
    #expect(lua.global("v") == value)
    try lua.run(source: "w = { v.int + 1, math.type(v.float), #v.text, v.list[3][1] }", chunkName: "=t")
    #expect(lua.global("w") == .list([43, "float", 3, 3]))
  }

  @Test func tablesSplitSequenceAndFields() throws {
    let lua = LuaState()
    try lua.run(source: "t = {10, 20, x = 'y', [5] = 'far'}", chunkName: "=t")
    let table = try #require(lua.global("t").tableValue)
    #expect(table.array == [10, 20])
    #expect(table.fields[.string("x")] == "y")
    #expect(table.fields[.integer(5)] == "far")
  }

  @Test func functionsAndCyclesBecomeOpaque() throws {
    let lua = LuaState()
    try lua.run(source: "f = print; c = {}; c.a = c; c.b = c; d = {}; local t = d; for i = 1, 100 do t.n = {}; t = t.n end", chunkName: "=t")
    #expect(lua.global("f") == .opaque("function"))
    #expect(lua.global("c")["a"] == .opaque("cyclic table"))
    #expect(lua.global("c")["b"] == .opaque("cyclic table"))
    var value = lua.global("d")
    for _ in 0..<64 { value = value["n"] }
    #expect(value == .opaque("table too deep"))
  }

  @Test func syntaxErrorNamesFileAndLine() throws {
    let lua = LuaState()
    let error = try #require(throws: Diagnostic.self) {
      try lua.run(source: "local a = 1\nlocal b = = 2\n", chunkName: "@exp/bad.lua")
    }
    #expect(error.kind == .syntax)
    #expect(error.location == SourceLocation(file: "exp/bad.lua", line: 2))
    #expect(error.description.hasPrefix("exp/bad.lua:2: error: unexpected symbol near '='"))
  }

  @Test func runtimeErrorPointsAtTheUserLineWithTraceback() throws {
    let lua = LuaState()
    let source = "local function f()\n  local t = nil\n  return t.x\nend\nf()\n"
    let error = try #require(throws: Diagnostic.self) { try lua.run(source: source, chunkName: "@rt.lua") }
    #expect(error.location == SourceLocation(file: "rt.lua", line: 3))
    #expect(error.message == "attempt to index a nil value (local 't')")
    #expect(error.traceback?.contains("rt.lua:5") == true)
  }

  /// Lua names a file of over 60 characters by "..." and its tail; errors give the whole path
  /// (a replay's unpacked bundle is mapped back to the bundle's name only from the whole path).
  @Test func errorsNameALongPathWhole() throws {
    let path = "/tmp/" + String(repeating: "deep-folder/", count: 8) + "exp.lua"
    let lua = LuaState()
    let syntax = try #require(throws: Diagnostic.self) { try lua.run(source: "local b = = 2\n", chunkName: "@" + path) }
    #expect(syntax.location == SourceLocation(file: path, line: 1), "\(syntax)")
    // error() at level 1 and 2, and a runtime error of Lua's own.
    for (source, line) in [("local x = 1\nerror('boom')\n", 2), ("local function f() error('boom', 2) end\n\nf()\n", 3), ("local t\nreturn t.x\n", 2)] {
      let error = try #require(throws: Diagnostic.self) { try lua.run(source: source, chunkName: "@" + path) }
      #expect(error.location == SourceLocation(file: path, line: line), "\(error)")
      #expect(!error.description.contains("..."), "\(error)")
    }
    // A message that only looks like a location is left as it is.
    let raised = try #require(throws: Diagnostic.self) { try lua.run(source: "error('...x.lua:1: no', 0)\n", chunkName: "@" + path) }
    #expect(raised.message.hasPrefix("...x.lua:1: no") || raised.location?.file == "...x.lua", "\(raised)")
  }

  @Test func errorFromSwiftPointsAtTheCallingLine() throws {
    let lua = LuaState()
    lua.register("role", in: "mpf") { _ in throw LuaRaise("unknown role 'srv'") }
    let error = try #require(throws: Diagnostic.self) {
      try lua.run(source: "local x = 1\n\nmpf.role('srv')\n", chunkName: "@bad_role.lua")
    }
    #expect(error.location?.line == 3)
    #expect(error.message == "unknown role 'srv'")
  }

  /// A function registered `handedOver` gets its arguments and Lua lets go of them before it
  /// runs: a table only the call held is collected (run_experiment's description). Without it,
  /// the table stays for as long as the function runs.
  @Test(arguments: [true, false]) func argumentsHandedOverAreFreedInLua(handedOver: Bool) throws {
    let lua = LuaState()
    var kilobytes = 0.0
    var received = 0
    lua.register("take", in: "host", handedOver: handedOver) { [unowned lua] args in
      received = args.first?.tableValue?.array.count ?? 0
      kilobytes = try lua.run(source: "return collectgarbage('count')", chunkName: "=count").first?.doubleValue ?? 0
      return [.string("done")]
    }
    try lua.run(
      source: "r = host.take((function() local l = {} for i = 1, 200000 do l[i] = i end return l end)())", chunkName: "=t")
    #expect(received == 200_000)
    #expect(lua.global("r") == "done")
    // The list is 200 000 × 16 bytes: about 3 MiB of Lua heap while it lives.
    #expect(handedOver ? kilobytes < 1000 : kilobytes > 2000, "\(kilobytes) KiB of Lua heap during the call")
  }

  @Test func nonStringErrorObjectsAreDescribed() throws {
    let lua = LuaState()
    let error = try #require(throws: Diagnostic.self) { try lua.run(source: "error({})", chunkName: "@t.lua") }
    #expect(error.message == "(error object is a table value)")
    #expect(error.location?.line == 1)
  }

  @Test func yieldingChunkStopsAndKeepsItsClosures() throws {
    let lua = LuaState()
    let yielded = try lua.runYielding(
      source: "local n = 41\nfunction bump() n = n + 1; return n end\ncoroutine.yield()\nafter = true\n", chunkName: "@y.lua")
    #expect(yielded)
    #expect(lua.global("after") == .nil)
    try lua.run(source: "r = bump()", chunkName: "=t")
    #expect(lua.global("r") == 42)
  }

  @Test func errorInYieldingChunkIsLocated() throws {
    let lua = LuaState()
    let error = try #require(throws: Diagnostic.self) {
      try lua.runYielding(source: "\n\nlocal x = nil + 1\n", chunkName: "@w.lua")
    }
    #expect(error.location?.line == 3)
    #expect(error.message.contains("arithmetic on a nil value"))
  }
}
