import Testing
import MPFSystem

/// docs/architecture.md names every source file: each `Name.swift` (and `Name+Part.swift`) of
/// Sources/ has its `Name` in the map, so a new room cannot go unsaid.
@Suite struct ArchitectureDocTests {
  @Test func everySourceFileIsNamed() throws {
    let repository = FileSystem.dirname(FileSystem.dirname(FileSystem.dirname(#filePath)))
    let map = try FileSystem.readString(FileSystem.join(repository, "docs/architecture.md"))
    let names = FileSystem.entries(under: FileSystem.join(repository, "Sources")).files.map(\.path)
      .filter { $0.hasSuffix(".swift") }
      .map { path in String(FileSystem.basename(path).dropLast(".swift".count).split(separator: "+").first ?? "") }
    #expect(names.count > 50, "the scan found the sources")
    let missing = Set(names).filter { !map.contains($0) }.sorted()
    #expect(missing.isEmpty, "docs/architecture.md does not name: \(missing.joined(separator: ", "))")
  }
}
