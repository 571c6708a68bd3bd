import Testing
import MPFCore
import MPFLua
import MPFScript
import MPFWorker

@Suite struct StdlibTests {
  /// Every file of lua/stdlib is embedded (Sources/MPFScript/Stdlib.swift lists them) and
  /// the embedded text is the file's, as built.
  @Test func everyStdlibFileIsEmbeddedAsItIs() throws {
    let repository = FileSystem.dirname(FileSystem.dirname(FileSystem.dirname(FileSystem.dirname(#filePath))))
    let folder = FileSystem.join(repository, "lua/stdlib")
    let files = FileSystem.directoryEntries(folder).filter { $0.hasSuffix(".lua") }
    #expect(files.sorted() == Stdlib.chunks.map { "\($0.name).lua" }.sorted())
    for chunk in Stdlib.chunks {
      #expect(chunk.source == (try FileSystem.readString(FileSystem.join(folder, "\(chunk.name).lua"))))
    }
  }

  /// Each part of the library is a module a script can `require`, the same one mpf uses.
  @Test func everyPartIsRequirable() throws {
    let script = try runController(
      """
        local declare = require 'mpf.declare'
        same = declare.add_variable == mpf.add_variable and require('mpf.shell').ex == ex
        parts = 0
        for name in pairs(package.preload) do if name:match('^mpf%.') then parts = parts + 1 end end
        """)
    #expect(script.lua.global("same") == .boolean(true))
    #expect(script.lua.global("parts") == .integer(Int64(Stdlib.chunks.count - 1)))
  }
}
