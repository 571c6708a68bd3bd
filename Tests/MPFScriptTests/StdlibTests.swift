import Testing
import MPFCore
import MPFWorker
import MPFTestSupport
import MPFLua
import MPFScript
import MPFSystem

@Suite struct StdlibTests {
  /// Every file of lua/stdlib is embedded (Sources/MPFScript/Stdlib.swift lists them) and
  /// the embedded text is the file's, as built.
  @Test func everyStdlibFileIsEmbeddedAsItIs() throws {
    let repository = FileSystem.dirname(FileSystem.dirname(FileSystem.dirname(#filePath)))
    let folder = FileSystem.join(repository, "lua/stdlib")
    let files = FileSystem.directoryEntries(folder).filter { $0.hasSuffix(".lua") }
    #expect(files.sorted() == Stdlib.chunks.map { "\($0.name).lua" }.sorted())
    for chunk in Stdlib.chunks {
      #expect(chunk.source == (try FileSystem.readString(FileSystem.join(folder, "\(chunk.name).lua"))))
    }
  }

  /// A script sees the public API only: the library's parts (the registry holds the host's
  /// primitives: `checking = true` would silence print and make ex a no-op) cannot be
  /// required, are in neither package.loaded nor package.preload, and the debug library a
  /// script gets reads no upvalue, local or registry. The library itself still works.
  @Test(arguments: ["controller", "worker"]) func theLibrarysPartsAreOutOfTheScriptsReach(mode: String) throws {
    let source = """
      local ok, message = pcall(require, 'mpf.registry')
      required = ok and 'reached' or message
      ok = pcall(require, 'mpf.shell')
      shell = ok and 'reached' or 'refused'
      parts = 0
      for name in pairs(package.loaded) do if name:match('^mpf') then parts = parts + 1 end end
      for name in pairs(package.preload) do if name:match('^mpf') then parts = parts + 1 end end
      local d = require 'debug'
      walks = (d.getupvalue or d.getlocal or d.setupvalue or d.getregistry or d.upvalueid or d.sethook or debug.getupvalue) == nil
      func = debug.getinfo(1, 'f').func == nil and debug.getinfo(1, 'l').currentline == 10
      traceback = type(debug.traceback('x')) == 'string'
      mpf.add_variable('m', {1, 2})
      mpf.add_variable('n', {1, 2}, {when = {m = 1}})
      local word = 'interpolated'
      said = tostring(ex('echo $word'))
      """
    let script: ExperimentScript
    if mode == "worker" {
      let shell = Shell()
      script = try ExperimentScript(
        mode: .worker, arguments: [], primitives: ScriptPrimitives(exec: { command, _, location in shell.run(command, location: location).luaValue }))
      try script.runAsWorker(path: "test.lua", source: source)
    } else {
      script = try runController(source)
    }
    #expect(script.lua.global("required").stringValue?.hasPrefix("module 'mpf.registry' not found") == true, "\(script.lua.global("required"))")
    #expect(script.lua.global("shell") == .string("refused"))
    #expect(script.lua.global("parts") == .integer(0))
    #expect(script.lua.global("walks") == .boolean(true))
    #expect(script.lua.global("func") == .boolean(true))
    #expect(script.lua.global("traceback") == .boolean(true))
    #expect(script.lua.global("said").stringValue?.contains("interpolated") == true, "\(script.lua.global("said"))")
  }
}
