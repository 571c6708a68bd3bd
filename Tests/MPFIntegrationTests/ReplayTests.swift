import Testing
import MPFSystem
import MPFText
import MPFYAML

/// `mpf export` and `mpf replay`: a bundle runs the experiment again with nothing else (the
/// experiment and the software's repository gone), the same plan, and is compared with the
/// original; a hostile bundle is refused, naming its entry, before anything runs.
@Suite struct ReplayTests {
  /// mpf with its own cache (software folders, git mirrors) in `cache` below `dir`.
  func mpf(_ arguments: [String], in dir: String, cache: String = "cache") async throws -> CommandResult {
    try await MPFCommand.run(arguments, in: dir, prefix: ["env", "XDG_CACHE_HOME=\(dir)/\(cache)"])
  }

  /// The fixture's experiment, run and exported to `dir/study.tar.gz`; returns its directory.
  func exported(in dir: String) async throws -> String {
    let repository = try await DeploySource.repository(in: dir)
    let run = try await mpf([MPFCommand.fixture("replay.lua"), "-q", "--", repository], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let original = try #require(MPFCommand.experimentDirectory(in: dir))
    let export = try await mpf(["export", original, "-o", "study.tar.gz"], in: dir)
    #expect(export.status == 0, "\(export.stderr)")
    #expect(export.stdout.contains("mpf: exported \(FileSystem.basename(original)) to study.tar.gz"), "\(export.stdout)")
    return original
  }

  static func line(_ key: String, of file: String) throws -> String? {
    try FileSystem.readString(file).lines().first { $0.hasPrefix(key + ":") }
  }

  @Test(.timeLimit(.minutes(3))) func aReplayRunsTheSamePlanFromTheBundleAlone() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let original = try await exported(in: dir)
    let id = FileSystem.basename(original)
    let originalFile = FileSystem.join(dir, "original.yaml")
    try FileSystem.writeAtomically(originalFile, try FileSystem.read(FileSystem.join(original, "experiment.yaml")))
    // Nothing left of where it came from: the results, the repository, the git mirror.
    FileSystem.removeTree(FileSystem.join(dir, "mpf_experiments"))
    FileSystem.removeTree(FileSystem.join(dir, "src"))
    FileSystem.removeTree(FileSystem.join(dir, "cache"))
    let replay = try await mpf(["replay", "study.tar.gz", "-q"], in: dir, cache: "cache2")
    #expect(replay.status == 0, "\(replay.stderr)")
    #expect(replay.stdout.contains("latency"), "\(replay.stdout)")
    #expect(replay.stdout.contains("A = original \(id), B = replay "), "\(replay.stdout)")
    let replayed = try #require(MPFCommand.experimentDirectory(in: dir))
    let replayFile = FileSystem.join(replayed, "experiment.yaml")
    // The same plan: seed, n_runs, run order.
    for key in ["seed", "n_runs", "planned_runs", "run_order"] {
      #expect(try Self.line(key, of: replayFile) == (try Self.line(key, of: originalFile)), "\(key)")
    }
    let doc = try #require(try YAMLParser.parse(try FileSystem.readString(replayFile)))
    let was = try #require(try YAMLParser.parse(try FileSystem.readString(originalFile)))
    #expect(doc["replay_of"]?["id"]?.string == id)
    // The script came from the bundle: no git state of a folder of this machine is claimed for it.
    #expect(doc["script"]?["git"]?.string == "null" || doc["script"]?["git"] == nil || doc["script"]?["git"]?.pairs.isEmpty == true)
    #expect(doc["replay_of"]?["bundle_sha256"]?.string == SHA256.hex(try FileSystem.read(FileSystem.join(dir, "study.tar.gz"))))
    let source = try #require(doc["software"]?.items.first?["source"])
    #expect(source["kind"]?.string == "bundle")
    let commits = (source["commits"]?.pairs ?? []).map { "\($0.key)=\($0.value.string ?? "")" }
    let wasCommits = (was["software"]?.items.first?["source"]?["commits"]?.pairs ?? []).map { "\($0.key)=\($0.value.string ?? "")" }
    #expect(commits.sorted() == wasCommits.sorted() && commits.count == 2)
    // Each run measured what the original did, with the commit it had.
    func results(_ node: YAMLNode) -> [String] {
      (node["runs"]?.items ?? []).map { run in
        "\(run["index"]?.string ?? "") \(run["results"]?["latency"]?.string ?? "") \(run["results"]?["commit"]?.string ?? "")"
      }
    }
    #expect(results(doc) == results(was) && results(doc).count == 8, "\(results(doc))")
    // Its sources were in the bundle's private copy, gone now: a resume would have fetched and
    // built something else under replay_of. Refused, and the bundle named.
    let resume = try await mpf(["resume", replayed, "-q"], in: dir, cache: "cache2")
    #expect(resume.status == 1, "\(resume.stderr)")
    #expect(resume.stderr.contains("is a replay of \(id) that deployed software from its bundle, which was not kept: it cannot be resumed"), "\(resume.stderr)")
    // A bundle without a software's source (its manifest made to say so) fetches nothing: refused
    // at the mpf.software, nothing run.
    try await Self.edit(FileSystem.join(dir, "study.tar.gz"), into: FileSystem.join(dir, "nosource.tar.gz")) { root in
      let manifest = FileSystem.join(root, "manifest")
      var lines = try FileSystem.readString(manifest).lines()
      let start = try #require(lines.firstIndex(of: "software:"))
      let end = try #require(lines[(start + 1)...].firstIndex { !$0.hasPrefix(" ") && !$0.hasPrefix("-") })
      lines.replaceSubrange(start..<end, with: ["software: []"])
      try FileSystem.writeAtomically(manifest, Array(lines.joined(separator: "\n").utf8))
      return false
    }
    let bare = try await mpf(["replay", "nosource.tar.gz", "-q", "--out", "bare"], in: dir, cache: "cache3")
    #expect(bare.status == 1, "\(bare.stderr)")
    #expect(bare.stderr.contains("replay.lua:5: error: mpf.software 'hello': the bundle holds no source for it"), "\(bare.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "bare")) && !FileSystem.exists(FileSystem.join(dir, "cache3/mpf/git")))
  }

  /// The controller's git mirror gone, export fetches the commits again from the url.
  @Test(.timeLimit(.minutes(2))) func exportFetchesWhatTheMirrorNoLongerHas() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let repository = try await DeploySource.repository(in: dir)
    let run = try await mpf([MPFCommand.fixture("replay.lua"), "-q", "--", "file://" + repository], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let original = try #require(MPFCommand.experimentDirectory(in: dir))
    FileSystem.removeTree(FileSystem.join(dir, "cache"))
    let export = try await mpf(["export", original, "-o", "study.tar.gz"], in: dir)
    #expect(export.status == 0, "\(export.stderr)")
    FileSystem.removeTree(repository)
    FileSystem.removeTree(FileSystem.join(dir, "mpf_experiments"))
    let replay = try await mpf(["replay", "study.tar.gz", "-q", "--fail-if-worse"], in: dir, cache: "cache2")
    #expect(replay.status == 0, "\(replay.stderr)")
    // The replay itself is not exported again: its sources came from the bundle, which is kept.
    let again = try await mpf(["export", try #require(MPFCommand.experimentDirectory(in: dir)), "-o", "again.tar.gz"], in: dir)
    #expect(again.status == 1)
    #expect(again.stderr.contains("its source was bundle (a replay's comes from its bundle)"), "\(again.stderr)")
  }

  /// A pinned experiment (`--pin`, what mpf bisect's probes are) is replayed with its pins.
  @Test(.timeLimit(.minutes(3))) func aReplayKeepsThePins() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let repository = try await DeploySource.repository(in: dir)
    let run = try await mpf([MPFCommand.fixture("replay.lua"), "-q", "--pin", "version=v2", "--", repository], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let original = try #require(MPFCommand.experimentDirectory(in: dir))
    let originalFile = FileSystem.join(dir, "original.yaml")
    try FileSystem.writeAtomically(originalFile, try FileSystem.read(FileSystem.join(original, "experiment.yaml")))
    #expect(try await mpf(["export", original, "-o", "pinned.tar.gz"], in: dir).status == 0)
    FileSystem.removeTree(FileSystem.join(dir, "mpf_experiments"))
    FileSystem.removeTree(repository)
    let replay = try await mpf(["replay", "pinned.tar.gz", "-q"], in: dir, cache: "cache2")
    #expect(replay.status == 0, "\(replay.stderr)")
    let replayFile = FileSystem.join(try #require(MPFCommand.experimentDirectory(in: dir)), "experiment.yaml")
    #expect(try Self.line("pinned", of: replayFile) == "pinned: {version: v2}")
    for key in ["seed", "planned_runs", "run_order"] {
      #expect(try Self.line(key, of: replayFile) == (try Self.line(key, of: originalFile)), "\(key)")
    }
  }

  @Test(.timeLimit(.minutes(3))) func failIfWorseFailsOnlyWhenTheReplayIsWorse() async throws {
    let dir = MPFCommand.temporaryDirectory()
    _ = try await exported(in: dir)
    // A second bundle: the same, but its sources build a program that prints twice as much.
    try await Self.edit(FileSystem.join(dir, "study.tar.gz"), into: FileSystem.join(dir, "slower.tar.gz")) { root in
      for commit in FileSystem.directoryEntries(FileSystem.join(root, "software/hello")) {
        let program = FileSystem.join(root, "software/hello/\(commit)/hello.c")
        let text = try FileSystem.readString(program).replacingAll("SCALE * atoi", with: "2 * SCALE * atoi")
        try FileSystem.writeAtomically(program, Array(text.utf8))
      }
      return true
    }
    let same = try await mpf(["replay", "study.tar.gz", "-q", "--fail-if-worse"], in: dir)
    #expect(same.status == 0, "\(same.stderr)")
    let slower = try await mpf(["replay", "slower.tar.gz", "-q", "--fail-if-worse"], in: dir)
    #expect(slower.status == 4, "\(slower.stderr)")
    #expect(slower.stderr.contains("mpf replay: latency at version · n = v1 · 1 is 100% worse than the original's"), "\(slower.stderr)")
    #expect(slower.stdout.contains("yes, worse"), "\(slower.stdout)")
  }

  /// A `dir` source goes in as its files were: a folder changed since is refused unless
  /// --force; the replay builds from the bundle with the folder gone.
  @Test(.timeLimit(.minutes(3))) func aFolderSourceIsExportedOnlyAsItWas() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let source = try DeploySource.make(in: dir)
    // A path over tar's 100 bytes: a GNU long name in the bundle, a ustar prefix once repacked.
    let long = String(repeating: "d", count: 70) + "/" + String(repeating: "f", count: 70) + ".txt"
    try FileSystem.createDirectory(FileSystem.join(source, String(repeating: "d", count: 70)))
    try FileSystem.writeAtomically(FileSystem.join(source, long), Array("long\n".utf8))
    let run = try await mpf([MPFCommand.fixture("deploy.lua"), "-q", "--", source], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let original = try #require(MPFCommand.experimentDirectory(in: dir))
    let export = try await mpf(["export", original, "-o", "study.tar.gz"], in: dir)
    #expect(export.status == 0, "\(export.stderr)")
    try DeploySource.write(source, word: "changed")
    let refused = try await mpf(["export", original, "-o", "changed.tar.gz"], in: dir)
    #expect(refused.status == 1)
    #expect(refused.stderr.hasPrefix("error: mpf.software 'hello': \(source) has changed since the experiment ran (content_sha256 differ)"), "\(refused.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "changed.tar.gz")))
    let forced = try await mpf(["export", original, "-o", "changed.tar.gz", "--force"], in: dir)
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(forced.stderr.contains("mpf: warning: mpf.software 'hello': \(source) has changed since the experiment ran"), "\(forced.stderr)")
    let was = try FileSystem.readString(FileSystem.join(original, "experiment.yaml"))
    FileSystem.removeTree(source)
    FileSystem.removeTree(FileSystem.join(dir, "mpf_experiments"))
    try await Self.edit(FileSystem.join(dir, "study.tar.gz"), into: FileSystem.join(dir, "ustar.tar.gz"), format: "ustar") { _ in false }
    let ustar = try await mpf(["replay", "ustar.tar.gz", "-q", "--out", "ustar"], in: dir, cache: "cache3")
    #expect(ustar.status == 0, "\(ustar.stderr)")
    let replay = try await mpf(["replay", "study.tar.gz", "-q"], in: dir, cache: "cache2")
    #expect(replay.status == 0, "\(replay.stderr)")
    let built = FileSystem.join(dir, "cache2/mpf/software/hello/scale=1/" + long)
    #expect(try FileSystem.readString(built) == "long\n")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    let old = try #require(try YAMLParser.parse(was))
    func results(_ node: YAMLNode) -> [String] {
      (node["runs"]?.items ?? []).map { "\($0["index"]?.string ?? "") \($0["results"]?["node"]?.string ?? "") \($0["results"]?["node_word"]?.string ?? "")" }
    }
    #expect(results(doc) == results(old) && results(doc).count == 4, "\(results(doc))")
  }

  /// Of the cluster file only the roles go into a bundle; a replay's cluster must give each
  /// role as many machines as the original had.
  @Test(.timeLimit(.minutes(1))) func aBundleHoldsTheClustersRolesOnly() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(
      FileSystem.join(dir, "tiny.lua"),
      Array("mpf.add_variable('x', {1, 2})\nmpf.run{role = 'node'}(function(ctx, x) return {value = x} end)\nmpf.run_experiment{n_runs = 1}\n".utf8))
    try FileSystem.writeAtomically(FileSystem.join(dir, "secret_ssh_config"), Array("IdentityFile ~/.ssh/id_secret_key\n".utf8))
    try FileSystem.writeAtomically(
      FileSystem.join(dir, "cluster.yaml"),
      Array("ssh_config: secret_ssh_config\nconnect_timeout: 7\nmachines:\n  - hostname: localhost\n    role: node\n".utf8))
    let run = try await MPFCommand.run(["tiny.lua", "-q", "-c", "cluster.yaml"], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let original = try #require(MPFCommand.experimentDirectory(in: dir))
    #expect(FileSystem.exists(FileSystem.join(original, "cluster.yaml")))
    #expect(try await MPFCommand.run(["export", original, "-o", "tiny.tar.gz"], in: dir).status == 0)
    let listing = try await MPFCommand.runProgram(["tar", "-tzf", "tiny.tar.gz"], in: dir)
    #expect(!listing.stdout.contains("cluster.yaml") && listing.stdout.contains("/experiment/tiny.lua"), "\(listing.stdout)")
    let contents = try await MPFCommand.runProgram(["tar", "-xzOf", "tiny.tar.gz"], in: dir)
    #expect(!contents.stdout.contains("secret_ssh_config") && !contents.stdout.contains("id_secret_key"))
    #expect(contents.stdout.contains("- {name: node, machines: 1, spares: 0}"), "\(contents.stdout)")
    try FileSystem.writeAtomically(FileSystem.join(dir, "other.yaml"), Array("machines:\n  - hostname: localhost\n    role: other\n".utf8))
    let replay = try await MPFCommand.run(["replay", "tiny.tar.gz", "-q", "-c", "other.yaml", "--out", "again"], in: dir)
    #expect(replay.status == 1)
    #expect(replay.stderr.hasPrefix("other.yaml: error: role 'node' has 0 machines here, the original experiment had 1"), "\(replay.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "again")))
  }

  /// Unpacks `bundle`, lets `change` edit its top folder, writes the manifest's sizes and
  /// hashes anew when it says so, and packs it into `target`.
  static func edit(_ bundle: String, into target: String, format: String = "gnu", change: (String) throws -> Bool) async throws {
    let scratch = FileSystem.join(FileSystem.dirname(target), "edit-\(FileSystem.basename(target))")
    try FileSystem.createDirectory(scratch)
    let parent = FileSystem.dirname(target)
    #expect(try await MPFCommand.runProgram(["tar", "-xzf", bundle, "-C", scratch], in: parent).status == 0)
    let top = try #require(FileSystem.directoryEntries(scratch).first)
    let root = FileSystem.join(scratch, top)
    if try change(root) {
      let manifest = FileSystem.join(root, "manifest")
      let lines = try FileSystem.readString(manifest).lines().map { line -> String in
        guard line.hasPrefix("- {path: "), let end = line.firstRange(of: ", size: ") else { return line }
        let path = String(line[line.index(line.startIndex, offsetBy: 9)..<end.lowerBound])
        guard let bytes = try? FileSystem.read(FileSystem.join(root, path)) else { return line }
        return "- {path: \(path), size: \(bytes.count), sha256: \(SHA256.hex(bytes))}"
      }
      try FileSystem.writeAtomically(manifest, Array(lines.joined(separator: "\n").utf8))
    }
    let packed = try await MPFCommand.runProgram(["tar", "--format=\(format)", "-czf", target, "-C", scratch, top], in: parent)
    #expect(packed.status == 0, "\(packed.stderr)")
  }
}

/// `mpf replay -c`: the bundle's sources deployed and built on a test host over ssh.
@Suite(.enabled(if: TestHosts.current != nil, "needs MPF_TEST_HOSTS (scripts/with-testhosts)"))
struct RemoteReplayTests {
  let hosts = TestHosts.current ?? TestHosts(directory: "", hosts: [:])

  @Test(.timeLimit(.minutes(3))) func aBundleReplaysOnAClusterMachine() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let original = try await ReplayTests().exported(in: dir)
    FileSystem.removeTree(FileSystem.join(dir, "src"))
    let cluster = try await hosts.cluster("  - {hostname: h7, role: node}\n", in: dir)
    let replay = try await hosts.mpf(["replay", "study.tar.gz", "-c", cluster, "--out", "replayed"], in: dir)
    #expect(replay.status == 0, "\(replay.stderr)")
    #expect(replay.stderr.contains("deploy hello [version=v1] on h7"), "\(replay.stderr)")
    #expect(replay.stdout.contains("A = original \(FileSystem.basename(original)), B = replay "), "\(replay.stdout)")
    let replayed = FileSystem.join(dir, "replayed")
    let id = try #require(FileSystem.directoryEntries(replayed).first)
    // Parsed, not searched: an id of digits only is written quoted ("86005886").
    let doc = try #require(try YAMLParser.parse(try FileSystem.readString(FileSystem.join(replayed, id + "/experiment.yaml"))))
    #expect(doc["replay_of"]?["id"]?.string == FileSystem.basename(original))
  }
}
