import Testing
import MPFSystem
import MPFText

/// `mpf export` writes only bundles `mpf replay` accepts: a source's set-user-id, set-group-id
/// and sticky bits are taken off, the owner's rwx (a folder) or r (a file) put on, and a name replay would refuse (a control character, not
/// UTF-8) stops the export, naming the file.
@Suite struct ExportContentsTests {
  @Test(.timeLimit(.minutes(3))) func exportWritesOnlyWhatReplayAccepts() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let source = try DeploySource.make(in: dir)
    try FileSystem.createDirectory(FileSystem.join(source, "shared"))
    try FileSystem.setPermissions(FileSystem.join(source, "shared"), 0o1777)
    try FileSystem.writeAtomically(FileSystem.join(source, "tool"), Array("#!/bin/sh\n".utf8), permissions: 0o755)
    try FileSystem.setPermissions(FileSystem.join(source, "tool"), 0o4755)
    try FileSystem.createDirectory(FileSystem.join(source, "locked"))
    try FileSystem.writeAtomically(FileSystem.join(source, "locked/note"), Array("x\n".utf8), permissions: 0o044)
    try FileSystem.setPermissions(FileSystem.join(source, "locked"), 0o555)
    let replays = ReplayTests()
    let run = try await replays.mpf([MPFCommand.fixture("deploy.lua"), "-q", "--", source], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let original = try #require(MPFCommand.experimentDirectory(in: dir))
    let id = FileSystem.basename(original)
    let export = try await replays.mpf(["export", original, "-o", "study.tar.gz"], in: dir)
    #expect(export.status == 0, "\(export.stderr)")
    let listing = try await MPFCommand.runProgram(["tar", "-tvzf", "study.tar.gz"], in: dir)
    #expect(listing.stdout.lines().contains { $0.hasPrefix("-rwxr-xr-x") && $0.hasSuffix("/software/hello/tool") }, "\(listing.stdout)")
    #expect(listing.stdout.lines().contains { $0.hasPrefix("drwxrwxrwx") && $0.hasSuffix("/software/hello/shared/") }, "\(listing.stdout)")
    #expect(listing.stdout.lines().contains { $0.hasPrefix("drwxr-xr-x") && $0.hasSuffix("/software/hello/locked/") }, "\(listing.stdout)")
    #expect(listing.stdout.lines().contains { $0.hasPrefix("-r--r--r--") && $0.hasSuffix("/software/hello/locked/note") }, "\(listing.stdout)")
    let replay = try await replays.mpf(["replay", "study.tar.gz", "-q", "--out", "again"], in: dir, cache: "cache2")
    #expect(replay.status == 0, "\(replay.stderr)")
    for (make, shown, reason) in [("bad\\033name", "bad\\ename", "its name holds a control character"), ("x\\377", "x\u{FFFD}", "its name is not UTF-8")] {
      #expect(try await MPFCommand.runProgram(["sh", "-c", "touch \"$(printf '\(make)')\""], in: source).status == 0)
      let refused = try await replays.mpf(["export", original, "-o", "bad.tar.gz", "--force"], in: dir)
      #expect(refused.status == 1, "\(refused.stderr)")
      let expected = "error: cannot export \(original): mpf-bundle-\(id)/software/hello/\(TerminalText.escaped(shown)): \(reason)\n"
      #expect(refused.stderr.contains(expected), "\(refused.stderr)")
      #expect(!FileSystem.exists(FileSystem.join(dir, "bad.tar.gz")))
      #expect(try await MPFCommand.runProgram(["sh", "-c", "rm -- \"$(printf '\(make)')\""], in: source).status == 0)
    }
  }

  /// A source over replay's bounds (a file over 1 GiB: here a sparse one, read by nobody) is
  /// refused by export before a byte of it is copied (it took minutes, then replay refused the
  /// bundle); the same bundle without it is written.
  @Test(.timeLimit(.minutes(2))) func aSourceOverReplaysBoundsIsRefusedBeforeItIsCopied() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let source = try DeploySource.make(in: dir)
    let replays = ReplayTests()
    let run = try await replays.mpf([MPFCommand.fixture("deploy.lua"), "-q", "--", source], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let original = try #require(MPFCommand.experimentDirectory(in: dir))
    #expect(try await MPFCommand.runProgram(["truncate", "-s", "1100M", "big.bin"], in: source).status == 0)
    let refused = try await replays.mpf(["export", original, "-o", "big.tar.gz", "--force"], in: dir)
    #expect(refused.status == 1, "\(refused.stderr)")
    #expect(refused.stderr.contains("error: cannot export mpf.software 'hello' (\(source)): it holds a file of 1153433600 bytes, over the 1073741824 a bundle may hold in one file"), "\(refused.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "big.tar.gz")))
    FileSystem.removeFile(FileSystem.join(source, "big.bin"))
    let export = try await replays.mpf(["export", original, "-o", "study.tar.gz", "--force"], in: dir)
    #expect(export.status == 0, "\(export.stderr)")
  }

  /// Ctrl-C during an export stops it at once (the hash of a 600 MB file is cut short), even in
  /// a background job of a script, where SIGINT comes ignored: exit status 130, no bundle, no
  /// partial file, nothing left in the temporary folder. It went on to the end and exited 0.
  @Test(.timeLimit(.minutes(2))) func ctrlCStopsAnExportAtOnce() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let source = try DeploySource.make(in: dir)
    let run = try await ReplayTests().mpf([MPFCommand.fixture("deploy.lua"), "-q", "--", source], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let original = try #require(MPFCommand.experimentDirectory(in: dir))
    #expect(try await MPFCommand.runProgram(["truncate", "-s", "600M", "big.bin"], in: source).status == 0)
    let scratch = FileSystem.join(dir, "tmp")
    try FileSystem.createDirectory(scratch)
    let command = [MPFCommand.binary, "export", original, "-o", "big.tar.gz", "--force"].map(ShellQuote.quote).joined(separator: " ")
    let stopped = try await MPFCommand.runProgram(
      ["sh", "-c", "\(command) & pid=$!; sleep 1; kill -INT $pid; wait $pid; echo status=$?"], in: dir,
      environment: ["TMPDIR=\(scratch)", "XDG_CACHE_HOME=\(dir)/cache"])
    #expect(stopped.stdout == "status=130\n", "\(stopped.stdout)\(stopped.stderr)")
    #expect(stopped.stderr.contains("mpf: stopped: Ctrl-C; the export was abandoned: no bundle was written"), "\(stopped.stderr)")
    #expect(!FileSystem.directoryEntries(dir).contains { $0.hasPrefix("big.tar.gz") })
    #expect(FileSystem.directoryEntries(scratch).isEmpty, "\(FileSystem.directoryEntries(scratch))")
  }
}
