import Testing

@testable import MPFHost

@Suite struct StdlibTests {
  /// Sources/MPFHost/Script/Stdlib.swift is generated from lua/stdlib by scripts/embed-stdlib.
  @Test func embeddedStdlibMatchesLuaSources() throws {
    let repository = FileSystem.dirname(FileSystem.dirname(FileSystem.dirname(FileSystem.dirname(#filePath))))
    for chunk in Stdlib.chunks {
      let path = FileSystem.join(repository, "lua/stdlib/\(chunk.name).lua")
      var source = try FileSystem.readString(path)
      if source.hasSuffix("\n") { source.removeLast() }
      #expect(chunk.source == source, "run scripts/embed-stdlib: \(path) changed")
    }
    let files = ProcessTree.directoryEntries(FileSystem.join(repository, "lua/stdlib")).filter { $0.hasSuffix(".lua") }
    #expect(files.sorted() == Stdlib.chunks.map { "\($0.name).lua" }.sorted())
  }
}
