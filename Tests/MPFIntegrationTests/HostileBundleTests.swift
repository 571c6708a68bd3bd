import Testing
import MPFSystem
import MPFText
import MPFYAML

/// `mpf replay` of a hostile bundle: each is refused with one message naming the entry and
/// what is wrong with it, before anything is unpacked or run (docs/security.md).
@Suite struct HostileBundleTests {
  enum Case: String, CaseIterable, Sendable {
    case absolute, parent, symbolicLink, hardLink, fifo, device, huge, tooMany, pax, notGzip, cut, noManifest, smuggled, trailingGarbage
  }

  /// The bundle of `kind`, and what the refusal must say.
  static func make(_ kind: Case, at path: String) async throws -> String {
    var tar = BundleTar()
    tar.add("b/", .directory, mode: 0o755)
    switch kind {
    case .absolute:
      tar.add("/tmp/mpf-bundle-victim", content: Array("x".utf8))
      try await tar.write(gzippedTo: path)
      return "refused: /tmp/mpf-bundle-victim: it is an absolute path: a bundle holds only relative paths"
    case .parent:
      tar.add("b/../../victim", content: Array("x".utf8))
      try await tar.write(gzippedTo: path)
      return "refused: b/../../victim: it leads outside the bundle (a '..' component)"
    case .symbolicLink:
      tar.add("b/manifest", .symbolicLink, link: "/etc/passwd")
      try await tar.write(gzippedTo: path)
      return "refused: b/manifest: it is a symbolic link (to /etc/passwd): a bundle holds only files and folders"
    case .hardLink:
      tar.add("b/manifest", .hardLink, link: "/etc/passwd")
      try await tar.write(gzippedTo: path)
      return "refused: b/manifest: it is a hard link (to /etc/passwd): a bundle holds only files and folders"
    case .fifo:
      tar.add("b/pipe", .fifo)
      try await tar.write(gzippedTo: path)
      return "refused: b/pipe: it is a FIFO: a bundle holds only files and folders"
    case .device:
      tar.add("b/disk", .characterDevice)
      try await tar.write(gzippedTo: path)
      return "refused: b/disk: it is a device: a bundle holds only files and folders"
    case .huge:
      // Declares 2 GiB and holds nothing: refused on its header, nothing is read or written.
      tar.add("b/big", declaredSize: 2 << 30)
      try await tar.write(gzippedTo: path)
      return "refused: b/big: it declares 2147483648 bytes, over the bound of 1073741824 bytes for one file"
    case .tooMany:
      tar.addEmptyFiles((0..<100_000).map { "b/\($0)" })
      try await tar.write(gzippedTo: path)
      return "refused: b/99999: the bundle has more than 100000 entries"
    case .pax:
      tar.add("b/PaxHeader", .pax, content: Array("30 path=../../outside/victim\n".utf8))
      try await tar.write(gzippedTo: path)
      return "refused: b/PaxHeader: a pax extended header: mpf export writes GNU tar (--format=gnu), which has none"
    case .notGzip:
      try FileSystem.writeAtomically(path, Array("format: mpf-bundle/1\n".utf8))
      return "refused: it is not a gzip file (mpf export writes a .tar.gz)"
    case .noManifest:
      tar.add("b/manifest", .directory, mode: 0o755)
      try await tar.write(gzippedTo: path)
      return "refused: b/manifest: the bundle has no manifest file"
    case .smuggled:
      // GNU tar unpacks a file entry named with a trailing '/' as a folder and reads its
      // content as more entries: here a device.
      var inner = BundleTar()
      inner.add("b/zz/disk", .characterDevice)
      tar.add("b/zz/", content: inner.bytes + [UInt8](repeating: 0, count: 1024))
      try await tar.write(gzippedTo: path)
      return "refused: b/zz/: a file whose name ends in '/' (tar would unpack it as a folder and read its 1536 bytes as more entries)"
    case .trailingGarbage:
      try await tar.write(gzippedTo: path)
      try FileSystem.writeAtomically(path, try FileSystem.read(path) + Array("garbage".utf8))
      return "refused: there are bytes after the end of its compressed data (mpf export writes none)"
    case .cut:
      tar.add("b/file", content: Array(repeating: 0x41, count: 2000))
      let tarPath = path + ".tar"
      try FileSystem.writeAtomically(tarPath, Array(tar.bytes.prefix(1024 + 512)))
      #expect(try await MPFCommand.runProgram(["gzip", "-f", tarPath], in: FileSystem.dirname(path)).status == 0)
      try FileSystem.rename(tarPath + ".gz", to: path)
      return "refused: b/file: the archive is cut short after this entry (no end-of-archive blocks)"
    }
  }

  @Test(.timeLimit(.minutes(2)), arguments: Case.allCases)
  func aHostileBundleIsRefusedNamingItsEntry(kind: Case) async throws {
    let dir = MPFCommand.temporaryDirectory()
    let bundle = FileSystem.join(dir, "bad.tar.gz")
    let message = try await Self.make(kind, at: bundle)
    let result = try await MPFCommand.run(["replay", "bad.tar.gz"], in: dir)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("bad.tar.gz: error: " + message + "\n"), "\(result.stderr)")
    #expect(result.stderr.contains("note: nothing in the bundle was run"), "\(result.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "mpf_experiments")))
    #expect(!FileSystem.exists("/tmp/mpf-bundle-victim"))
    #expect(!FileSystem.exists(FileSystem.join(FileSystem.dirname(dir), "victim")))
  }

  /// A bundle whose script was changed after export (the manifest's hash no longer matches):
  /// refused after unpacking, before the script runs.
  @Test(.timeLimit(.minutes(1))) func aFileThatIsNotTheManifestsIsRefusedBeforeTheScriptRuns() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = FileSystem.join(dir, "tiny.lua")
    try FileSystem.writeAtomically(
      script,
      Array("local helpers = require 'helpers'\nmpf.add_variable('x', {1, 2})\nmpf.run{role = 'node'}(function(ctx, x) return {value = helpers.twice(x)} end)\nmpf.run_experiment{n_runs = 1}\n".utf8))
    try FileSystem.writeAtomically(FileSystem.join(dir, "helpers.lua"), Array("return {twice = function(x) return 2 * x end}\n".utf8))
    #expect(try await MPFCommand.run(["tiny.lua", "-q"], in: dir).status == 0)
    let original = try #require(MPFCommand.experimentDirectory(in: dir))
    let export = try await MPFCommand.run(["export", original, "-o", "tiny.tar.gz"], in: dir)
    #expect(export.status == 0, "\(export.stderr)")
    FileSystem.removeTree(FileSystem.join(dir, "mpf_experiments"))
    FileSystem.removeFile(FileSystem.join(dir, "helpers.lua"))
    try await ReplayTests.edit(FileSystem.join(dir, "tiny.tar.gz"), into: FileSystem.join(dir, "changed.tar.gz")) { root in
      let copy = FileSystem.join(root, "experiment/tiny.lua")
      try FileSystem.writeAtomically(copy, Array(("ex('touch \(dir)/ran')\n" + (try FileSystem.readString(copy))).utf8))
      return false
    }
    let result = try await MPFCommand.run(["replay", "changed.tar.gz"], in: dir)
    #expect(result.status == 1, "\(result.stderr)")
    let id = FileSystem.basename(original)
    #expect(result.stderr.hasPrefix("changed.tar.gz: error: refused: mpf-bundle-\(id)/experiment/tiny.lua: it has "), "\(result.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "ran")))
    #expect(!FileSystem.exists(FileSystem.join(dir, "mpf_experiments")))
    // A manifest naming another experiment than its experiment.yaml: refused, naming the bundle.
    try await ReplayTests.edit(FileSystem.join(dir, "tiny.tar.gz"), into: FileSystem.join(dir, "renamed.tar.gz")) { root in
      let manifest = FileSystem.join(root, "manifest")
      // An id of digits only is written quoted ("24818358").
      let text = try FileSystem.readString(manifest)
      let renamed = text.replacing("{id: \(id)", with: "{id: 0000abcd").replacing("{id: \"\(id)\"", with: "{id: 0000abcd")
      #expect(renamed != text, "the manifest names its experiment: \(text)")
      try FileSystem.writeAtomically(manifest, Array(renamed.utf8))
      return false
    }
    let renamed = try await MPFCommand.run(["replay", "renamed.tar.gz"], in: dir)
    #expect(renamed.status == 1, "\(renamed.stderr)")
    #expect(renamed.stderr.hasPrefix("renamed.tar.gz: error: refused: mpf-bundle-\(id)/manifest: it names experiment 0000abcd, its experiment.yaml \(id)\n"), "\(renamed.stderr)")
    #expect(renamed.stderr.contains("note: nothing in the bundle was run"), "\(renamed.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "mpf_experiments")))
    // A damaged experiment.yaml, with the manifest made to match: the error names the bundle's
    // entry, never the private folder it was unpacked in.
    try await ReplayTests.edit(FileSystem.join(dir, "tiny.tar.gz"), into: FileSystem.join(dir, "damaged.tar.gz")) { root in
      let file = FileSystem.join(root, "experiment/experiment.yaml")
      let lines = try FileSystem.readString(file).lines().map { $0.hasPrefix("seed:") ? "seed: [1, 2" : $0 }
      try FileSystem.writeAtomically(file, Array((lines.joined(separator: "\n") + "\n").utf8))
      return true
    }
    // A damaged run entry is skipped and said, as mpf compare says it, naming the bundle's entry.
    try await ReplayTests.edit(FileSystem.join(dir, "tiny.tar.gz"), into: FileSystem.join(dir, "skipped.tar.gz")) { root in
      let file = FileSystem.join(root, "experiment/experiment.yaml")
      var done = false
      let lines = try FileSystem.readString(file).lines().map { line -> String in
        guard !done, line.hasPrefix("    value: ") else { return line }
        done = true
        return "    value: ["
      }
      try FileSystem.writeAtomically(file, Array((lines.joined(separator: "\n") + "\n").utf8))
      return true
    }
    let skipped = try await MPFCommand.run(["replay", "skipped.tar.gz", "-q", "--out", "skipped"], in: dir)
    #expect(skipped.stderr.contains("skipped.tar.gz:mpf-bundle-\(id)/experiment/experiment.yaml:") && skipped.stderr.contains("run entry skipped"), "\(skipped.stderr)")
    #expect(!skipped.stderr.contains("mpf-replay"), "\(skipped.stderr)")
    FileSystem.removeTree(FileSystem.join(dir, "skipped"))
    let damaged = try await MPFCommand.run(["replay", "damaged.tar.gz"], in: dir)
    #expect(damaged.status == 1, "\(damaged.stderr)")
    #expect(damaged.stderr.hasPrefix("damaged.tar.gz:mpf-bundle-\(id)/experiment/experiment.yaml:"), "\(damaged.stderr)")
    #expect(!damaged.stderr.contains("mpf-replay"), "the private folder is named: \(damaged.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "mpf_experiments")))
    // The untouched bundle replays (the same script, its module from the bundle, locally).
    let replay = try await MPFCommand.run(["replay", "tiny.tar.gz", "-q"], in: dir)
    #expect(replay.status == 0, "\(replay.stderr)")
    #expect(replay.stdout.contains("value"), "\(replay.stdout)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect((doc["runs"]?.items ?? []).compactMap { $0["results"]?["value"]?.string }.sorted() == ["2", "4"])
    // A resume of the replay keeps where it came from.
    let replayed = try #require(MPFCommand.experimentDirectory(in: dir))
    let resumed = try await MPFCommand.run(["resume", replayed, "-q"], in: dir)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let after = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(after["replay_of"]?["id"]?.string == id && after["resumed"]?.items.count == 1)
  }

  /// Ctrl-C or SIGTERM while a large bundle is checked (200 MiB of zeros, legal) stops mpf at
  /// once with 130 (143), its private copy removed and nothing run, even when it was started
  /// with the signals ignored (a script's background job).
  @Test(.timeLimit(.minutes(3)), arguments: [(Signal.interrupt, Int32(130), "Ctrl-C"), (.terminate, 143, "told to end")])
  func aSignalDuringTheCheckStopsItAtOnce(signal: Signal, status: Int32, said: String) async throws {
    let dir = MPFCommand.temporaryDirectory()
    let scratch = FileSystem.join(dir, "tmp")
    try FileSystem.createDirectory(scratch)
    let size = 64 << 20
    var head = BundleTar()
    head.add("b/", .directory, mode: 0o755)
    let manifest = """
      format: mpf-bundle/1
      experiment: {id: 0123abcd}
      files:
        - {path: big, size: \(size), sha256: 72abf2ca8f36943ebe2e49ca3a51d409ca5f0bfcffab6c9d25643c17c32889da}

      """
    head.add("b/manifest", content: Array(manifest.utf8))
    head.add("b/big", declaredSize: size)
    try FileSystem.writeAtomically(FileSystem.join(dir, "head"), head.bytes)
    let made = try await MPFCommand.runProgram(
      ["sh", "-c", "{ cat head; head -c \(size + 1024) /dev/zero; } | gzip -1 > big.tar.gz"], in: dir)
    #expect(made.status == 0, "\(made.stderr)")
    let process = try MPFCommand.start(
      ["replay", "big.tar.gz"], in: dir, marker: MPFCommand.uniqueMarker(),
      prefix: ["env", "TMPDIR=\(scratch)", "sh", "-c", "trap '' INT TERM; exec \"$0\" \"$@\""])
    while FileSystem.directoryEntries(scratch).isEmpty, Subprocess.poll(process.pid) == nil { await MPFCommand.pause(0.05) }
    await MPFCommand.pause(0.5)
    Signal.send(signal, to: process.pid)
    let sent = Clock.monotonic()
    let ended = await MPFCommand.wait(process.pid)
    let stderr = (try? FileSystem.readString(process.stderrPath)) ?? ""
    #expect(ended == status, "\(stderr)")
    // At once: the check of this bundle takes minutes (a bound for a loaded machine).
    #expect(Clock.monotonic() - sent < 15, "\(stderr)")
    #expect(stderr.contains("stopped: \(said)") && stderr.contains("the bundle's check was abandoned and nothing in it was run"), "\(stderr)")
    #expect(FileSystem.directoryEntries(scratch).isEmpty)
    #expect(!FileSystem.exists(FileSystem.join(dir, "mpf_experiments")))
  }
}
