import Testing
import MPFCore
import MPFScript

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
}
