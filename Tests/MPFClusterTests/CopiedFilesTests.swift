import Testing
import MPFCore
import MPFCluster
import MPFSystem
import MPFText

#if canImport(Glibc)
  import Glibc
#endif

/// The list of what a deploy copied (`.BUILD.sources`) and the removal of what the source lost:
/// a name stays one entry whatever it holds, and nothing outside the build folder is removed.
@Suite struct CopiedFilesTests {
  @Test func everyNameStaysOneEntryAndAnOldListCannotLeadOut() {
    let paths = ["d\n../victim", "back\\slash", "#hash", "cr\r\nlf", "-rf", "a b"]
    let read = CopiedFiles.read(CopiedFiles.text(stamp: "abc", paths: paths))
    #expect(read.stamp == "abc")
    #expect(read.paths == paths)
    // A list written before names were escaped: the newline made `../victim` a line of its own.
    let old = CopiedFiles.read("# mpf stamp x\nd\n../victim\n/etc/passwd\na/./b\nok/file\n")
    #expect(old.paths == ["d", "ok/file"])
  }

  @Test func removalNeverGoesThroughALinkOrOutOfTheFolder() throws {
    let dir = try TemporaryDirectory.make("mpf-copied-test")
    defer { FileSystem.removeTree(dir) }
    let build = FileSystem.join(dir, "build")
    try FileSystem.createDirectory(FileSystem.join(build, "real"))
    try FileSystem.createDirectory(FileSystem.join(dir, "outside"))
    for path in ["outside/victim", "victim", "build/real/gone", "build/-rf", "build/new\nline"] {
      try FileSystem.writeAtomically(FileSystem.join(dir, path), Array("x".utf8))
    }
    #expect(symlink("../outside", FileSystem.join(build, "sub")) == 0)
    let command = CopiedFiles.removal(["sub/victim", "../victim", "real/gone", "-rf", "new\nline"])
    let result = try Subprocess.output(["sh", "-c", "cd \(ShellQuote.quote(build)) && \(command)"])
    #expect(result.status == 0)
    #expect(FileSystem.exists(FileSystem.join(dir, "outside/victim")) && FileSystem.exists(FileSystem.join(dir, "victim")))
    for gone in ["real/gone", "-rf", "new\nline"] { #expect(!FileSystem.exists(FileSystem.join(build, gone)), "\(gone)") }
  }

  @Test func aNodesListingKeepsNamesWithNewlinesAndLinks() {
    let hash = String(repeating: "a", count: 64)
    let listing = "l ./link\0-rf\0l ./sub/new\nlink\0../x\0\(hash)  ./new\nline\0\(hash)  ./-C..\0"
    #expect(Deployer.nodeEntries(listing) == [
      "link": "l-rf", "sub/new\nlink": "l../x", "new\nline": "f" + hash, "-C..": "f" + hash,
    ])
  }
}
