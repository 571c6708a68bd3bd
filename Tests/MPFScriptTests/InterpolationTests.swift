import Testing
import MPFCore
import MPFTestSupport
import MPFLua
import MPFScript
import MPFSystem


/// `ex` expands `$name` from the caller's locals, parameters, upvalues, the script's top-level
/// locals and globals, and leaves unknown names to the shell.
@Suite struct InterpolationTests {
  @Test func namesResolveInScopeOrder() throws {
    let script = try runController(
      """
      shadowed = 'global'
      gname = 'g'
      local top = 'toplevel'
      local up = 'upvalue'
      local function f(param)
        local _ = up
        local shadowed = 'local'
        local out = ex 'echo $param $shadowed ${up}x $gname $top $UNKNOWN_MPF_NAME $1'
        return out
      end
      r = f('p')
      """)
    #expect(script.lua.global("r")[1]?.isEmpty == false)
    let line = script.lua.global("r").tableValue?.array.first
    #expect(line == "p local upvaluex g toplevel")
  }

  @Test func resultCarriesCodeAndStderr() throws {
    let script = try runController("r = ex 'echo out; echo err >&2; exit 3'\ncode = r.code\nerr = r.stderr\nn = #r")
    #expect(script.lua.global("code") == 3)
    #expect(script.lua.global("err") == "err\n")
    #expect(script.lua.global("n") == 1)
  }

  @Test func crlfOutputSplitsIntoLines() throws {
    let script = try runController("r = ex [[printf 'a\\r\\nb\\n']]\nn = #r\nfirst = r[1]")
    #expect(script.lua.global("n") == 2)
    #expect(script.lua.global("first") == "a")
  }

  @Test func numbersAndBooleansExpandAsLuaPrintsThem() throws {
    let script = try runController("local i, f, b = 8, 2.0, true\nr = ex('echo $i $f $b')[1]")
    #expect(script.lua.global("r") == "8 2 true")
  }

  @Test func aTableCannotBeExpanded() throws {
    let error = try #require(throws: Diagnostic.self) { _ = try runController("local t = {}\n\nex 'echo $t'", name: "i.lua") }
    #expect(error.location == SourceLocation(file: "i.lua", line: 3))
    #expect(error.message == "ex: cannot expand $t: it is a table")
  }

  @Test func expressionsExpandInTheSameScope() throws {
    let script = try runController(
      """
      local rate = 21
      local ctx = {roles = {server = {interfaces = {{ip = '10.0.0.1'}}}}}
      r = ex('echo ${rate * 2} ${ctx.roles.server.interfaces[1].ip} ${#ctx.roles.server.interfaces} ${HOME_MPF_X}')[1]
      """)
    #expect(script.lua.global("r") == "42 10.0.0.1 1")
  }

  @Test func aBadExpressionIsAnErrorAtTheUserLine() throws {
    let syntax = try #require(throws: Diagnostic.self) { _ = try runController("local rate = 1\nex 'echo ${rate *}'", name: "e.lua") }
    #expect(syntax.location == SourceLocation(file: "e.lua", line: 2))
    #expect(syntax.message == "ex: cannot expand ${rate *}: unexpected symbol near <eof>")
    let runtime = try #require(throws: Diagnostic.self) { _ = try runController("ex 'echo ${nothing.field}'", name: "e.lua") }
    #expect(runtime.message == "ex: cannot expand ${nothing.field}: attempt to index a nil value (global 'nothing')")
  }

  @Test func quotedNamesAndMpfQuoteMakeOneShellWord() throws {
    let script = try runController(
      """
      local name, other = "it's a file", 'c d'
      r = ex("printf '%s|' $'name' " .. mpf.quote('a b') .. " $other")[1]
      q = mpf.quote("x'y")
      """)
    #expect(script.lua.global("r") == "it's a file|a b|c|d|")
    #expect(script.lua.global("q") == "'x'\\''y'")
  }

  @Test func trailingAmpersandRunsInBackground() throws {
    let start = Clock.monotonic()
    let script = try runController("r = ex 'sleep 20 &'\ncode = r.code\nboth = ex('true && echo yes')[1]")
    #expect(Clock.monotonic() - start < 10)
    #expect(script.lua.global("code") == .nil)
    #expect(script.lua.global("both") == "yes")
  }
}

extension LuaValue {
  fileprivate subscript(index: Int) -> String? { tableValue?.array.indices.contains(index - 1) == true ? tableValue?.array[index - 1].stringValue : nil }
}
