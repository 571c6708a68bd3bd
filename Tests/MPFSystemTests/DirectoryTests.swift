import Testing
import MPFSystem

#if canImport(Glibc)
  import Glibc
#endif

/// `Directory`: what mpf writes below an experiment directory follows no link, at any
/// component, and no FIFO can hang it.
@Suite struct DirectoryTests {
  /// A fresh folder, a `victim` file beside it and an empty `outside` folder.
  static func setUp() throws -> (root: String, directory: Directory, victim: String, outside: String) {
    let base = try TemporaryDirectory.make("mpf-test")
    let root = FileSystem.join(base, "experiment")
    let victim = FileSystem.join(base, "victim")
    let outside = FileSystem.join(base, "outside")
    try FileSystem.createDirectory(outside)
    try FileSystem.writeAtomically(victim, Array("precious\n".utf8))
    return (root, try Directory.open(root, creating: true), victim, outside)
  }

  /// removeTree removes names that are not UTF-8, at any depth (a folder and a file named
  /// `x\377`), and does not follow a link out of the tree.
  @Test func removeTreeRemovesNamesThatAreNotUTF8AndFollowsNoLink() throws {
    let (root, _, victim, outside) = try Self.setUp()
    let folder = Array(root.utf8) + [UInt8(ascii: "/"), UInt8(ascii: "x"), 0xFF]
    #expect(mkdir(folder.map { CChar(bitPattern: $0) } + [0], 0o755) == 0)
    let file = folder + [UInt8(ascii: "/"), UInt8(ascii: "y"), 0xFE]
    let fd = open(file.map { CChar(bitPattern: $0) } + [0], O_CREAT | O_WRONLY, 0o644)
    #expect(fd >= 0)
    close(fd)
    #expect(symlink(outside, root + "/link") == 0)
    #expect(symlink(victim, root + "/file-link") == 0)
    FileSystem.removeTree(root)
    #expect(!FileSystem.exists(root))
    #expect(try FileSystem.exists(outside) && FileSystem.readString(victim) == "precious\n")
  }

  /// Text written in pieces, past the 256 KiB block, and one piece larger than a block,
  /// arrives whole and in order.
  @Test func textWrittenInPiecesArrivesWhole() throws {
    let (root, directory, _, _) = try Self.setUp()
    var pieces = (0..<40_000).map { "line \($0) é\n" }
    pieces.insert(String(repeating: "a panel of 100 000 points\n", count: 12_000), at: 30_000)
    try directory.write("graphs/big.csv", text: { emit in for piece in pieces { try emit(piece) } })
    #expect(try FileSystem.readString(FileSystem.join(root, "graphs/big.csv")) == pieces.joined())
  }

  @Test func aLinkAtTheFileIsRefusedWithItsPath() throws {
    let (root, directory, victim, _) = try Self.setUp()
    #expect(symlink(victim, FileSystem.join(root, ".lock")) == 0)
    let error = #expect(throws: SystemError.self) { try directory.openFile(".lock", .readWrite, options: [.create]) }
    #expect(error?.description == "\(root)/.lock is a symbolic link: mpf does not write through links; remove it")
    #expect(try FileSystem.readString(victim) == "precious\n")
  }

  /// A dangling link: `O_CREAT` alone would create its target.
  @Test func aDanglingLinkIsNotCreatedThrough() throws {
    let (root, directory, _, outside) = try Self.setUp()
    try FileSystem.createDirectory(FileSystem.join(root, "logs"))
    let target = FileSystem.join(outside, "made")
    #expect(symlink(target, FileSystem.join(root, "logs/run-0001.log")) == 0)
    #expect(throws: SystemError.self) { try directory.openFile("logs/run-0001.log", .writeOnly, options: [.create, .truncate]) }
    #expect(!FileSystem.exists(target))
  }

  @Test func aLinkAtAFolderOnTheWayIsRefused() throws {
    let (root, directory, _, outside) = try Self.setUp()
    #expect(symlink(outside, FileSystem.join(root, "graphs")) == 0)
    let error = #expect(throws: SystemError.self) { try directory.write("graphs/rate.svg", Array("<svg/>".utf8)) }
    #expect(error?.description == "\(root)/graphs is a symbolic link: mpf does not write through links; remove it")
    #expect(throws: SystemError.self) { try directory.subdirectory("graphs") }
    #expect(throws: SystemError.self) { try directory.openFile("graphs/rate.csv", .writeOnly, options: [.create]) }
    #expect(FileSystem.directoryEntries(outside).isEmpty)
  }

  /// An atomic write replaces a link at its name (rename never follows one): the link's
  /// target is untouched.
  @Test func anAtomicWriteReplacesALinkWithoutFollowingIt() throws {
    let (root, directory, victim, _) = try Self.setUp()
    #expect(symlink(victim, FileSystem.join(root, "report.html")) == 0)
    try directory.write("report.html", Array("<html>".utf8))
    #expect(try FileSystem.readString(victim) == "precious\n")
    #expect(FileSystem.status(FileSystem.join(root, "report.html"), followingLinks: false)?.kind == .regular)
    #expect(try FileSystem.readString(FileSystem.join(root, "report.html")) == "<html>")
  }

  @Test(arguments: ["../victim", "/etc/passwd", "runs/../../victim", "a/../../b"])
  func pathsLeadingOutsideAreRefused(relative: String) throws {
    let (_, directory, victim, _) = try Self.setUp()
    let error = #expect(throws: SystemError.self) { try directory.write(relative, Array("x".utf8)) }
    #expect(error?.description.contains("leads outside") == true)
    #expect(throws: SystemError.self) { try directory.openFile(relative, .readOnly) }
    #expect(try FileSystem.readString(victim) == "precious\n")
  }

  @Test func foldersOnTheWayAreMadeAndFilesLandInThem() throws {
    let (root, directory, _, _) = try Self.setUp()
    try directory.write("runs/3/fn-1/out.txt", Array("data".utf8))
    #expect(try FileSystem.readString(FileSystem.join(root, "runs/3/fn-1/out.txt")) == "data")
    let log = try directory.openFile("logs/run-0003.log", .writeOnly, options: [.create, .truncate])
    try log.write(Array("log".utf8))
    #expect(try FileSystem.readString(FileSystem.join(root, "logs/run-0003.log")) == "log")
    #expect(try directory.subdirectory("graphs").path == FileSystem.join(root, "graphs"))
    #expect(directory.status(of: "runs/3/fn-1/out.txt")?.size == 4)
  }

  /// Opening a FIFO waits for its other end: mpf opens without blocking and refuses it.
  @Test(.timeLimit(.minutes(1))) func aFIFOIsRefusedWithoutWaiting() throws {
    let (root, directory, _, _) = try Self.setUp()
    #expect(mkfifo(FileSystem.join(root, "experiment.yaml"), 0o644) == 0)
    let reading = #expect(throws: SystemError.self) { try directory.openFile("experiment.yaml", .readOnly) }
    #expect(reading?.description == "\(root)/experiment.yaml is a FIFO, not a regular file: remove it")
    let writing = #expect(throws: SystemError.self) { try directory.openFile("experiment.yaml", .writeOnly, options: [.append]) }
    #expect(writing?.description == "\(root)/experiment.yaml is a FIFO, not a regular file: remove it")
  }
}
