import Testing
import MPFCore
@testable import MPFGraphs

/// Figures are stored under file names made from result names in one place: never two names
/// in one file, never a name too long for the file system.
@Suite struct FigureFilesTests {
  @Test func namesThatLookAlikeGetFilesOfTheirOwn() {
    let names = ["a b", "a/b", "a_b", "a\u{1B}b", "a.b", "A_b", ".hidden", "_hidden", "", "é", "e"]
    let files = names.map(FigureFiles.safeName)
    #expect(Set(files).count == names.count, "\(files)")
    #expect(FigureFiles.safeName("goodput") == "goodput")
    #expect(FigureFiles.safeName("rtt_ms.p99") == "rtt_ms.p99")
    for file in files {
      #expect(!file.hasPrefix(".") && !file.contains("/") && !file.isEmpty, "\(file)")
    }
  }

  @Test func aLongNameGetsAShortFileNameOfItsOwn() {
    let long = String(repeating: "x", count: 300)
    let other = String(repeating: "x", count: 299) + "y"
    let file = FigureFiles.safeName(long)
    #expect(file.utf8.count + ".svg".utf8.count < 100)
    #expect(file != FigureFiles.safeName(other))
    #expect(FigureFiles.safeName(String(repeating: "é", count: 200)).utf8.count < 100)
    #expect(file == FigureFiles.safeName(long), "the same name always gets the same file")
  }
}
