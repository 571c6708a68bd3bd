import Testing
import MPFSystem

/// The system layer is the only code that sees the C library (docs/architecture.md, "The
/// system layer"): at most 8 files of Sources/ import Glibc or CSystem (whose header brings
/// Glibc along), all in Sources/MPFSystem/.
@Suite struct SystemLayerTests {
  static let limit = 8

  /// Files of `Sources/` with a line importing one of `modules` (any access level).
  static func importers(of modules: Set<String>) -> [String] {
    let repository = FileSystem.dirname(FileSystem.dirname(FileSystem.dirname(#filePath)))
    let sources = FileSystem.join(repository, "Sources")
    return FileSystem.entries(under: sources).files.map(\.path).filter { $0.hasSuffix(".swift") }.filter { path in
      let text = (try? FileSystem.readString(FileSystem.join(sources, path))) ?? ""
      return text.split(separator: "\n").contains { line in
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let at = words.firstIndex(of: "import"), at + 1 < words.count else { return false }
        let modifiers: Set<String> = ["internal", "package", "public", "private", "fileprivate", "@_exported"]
        return words[..<at].allSatisfy { modifiers.contains($0) } && modules.contains(words[at + 1])
      }
    }
  }

  @Test func atMostEightFilesSeeTheCLibrary() {
    let files = Self.importers(of: ["Glibc", "CSystem"])
    #expect(!files.isEmpty, "the scan found no importer at all: is Sources/ where it looks?")
    #expect(files.count <= Self.limit, "\(files.count) files import Glibc or CSystem (at most \(Self.limit)): \(files.joined(separator: ", "))")
    let outside = files.filter { !$0.hasPrefix("MPFSystem/") }
    #expect(outside.isEmpty, "outside the system layer: \(outside.joined(separator: ", ")); add a wrapper in Sources/MPFSystem/")
  }
}
