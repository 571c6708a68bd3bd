import Testing
import MPFCore
import MPFYAML
import MPFSystem
import MPFText

#if canImport(Glibc)
  import Glibc
#endif

/// A C program folder to deploy: `hello N` prints `WORD N*SCALE`, SCALE set by make.
enum DeploySource {
  static func make(in dir: String, word: String = "hello") throws -> String {
    let folder = FileSystem.join(dir, "src")
    try FileSystem.createDirectory(folder)
    try write(folder, word: word)
    return folder
  }

  static func write(_ folder: String, word: String) throws {
    try FileSystem.writeAtomically(
      FileSystem.join(folder, "hello.c"),
      Array("#include <stdio.h>\n#include <stdlib.h>\nint main(int c, char **v) { printf(\"\(word) %d\\n\", SCALE * atoi(v[1])); return 0; }\n".utf8))
    try FileSystem.writeAtomically(
      FileSystem.join(folder, "Makefile"), Array("SCALE ?= 1\nhello: hello.c\n\tcc -O1 -DSCALE=$(SCALE) -o hello hello.c\n".utf8))
  }

  /// A git repository whose tags v1 and v2 print `first` and `second`.
  static func repository(in dir: String) async throws -> String {
    let folder = try make(in: dir, word: "first")
    let git = ["git", "-C", folder, "-c", "user.name=t", "-c", "user.email=t@t"]
    for step in [["init", "-q"], ["add", "."], ["commit", "-q", "-m", "one"], ["tag", "v1"]] {
      #expect(try await MPFCommand.runProgram(git + step, in: dir).status == 0)
    }
    try write(folder, word: "second")
    for step in [["commit", "-q", "-am", "two"], ["tag", "v2"]] {
      #expect(try await MPFCommand.runProgram(git + step, in: dir).status == 0)
    }
    return folder
  }
}

/// `mpf.software` on this machine (no cluster file): copied, built per build variable, run;
/// only what changed moves again; a failing build stops before any run.
@Suite struct DeployTests {
  /// mpf with its own cache (the software's folders) under `dir`.
  func mpf(_ arguments: [String], in dir: String, environment: [String] = []) async throws -> CommandResult {
    try await MPFCommand.run(arguments, in: dir, prefix: ["env", "XDG_CACHE_HOME=\(dir)/cache"] + environment)
  }

  @Test(.timeLimit(.minutes(2)), arguments: ["rsync", "tar"])
  func aFolderIsCopiedBuiltPerBuildVariableAndOnlyChangesMoveAgain(sync: String) async throws {
    let dir = MPFCommand.temporaryDirectory()
    let source = try DeploySource.make(in: dir)
    let environment = sync == "tar" ? ["MPF_SYNC=tar"] : []
    let script = MPFCommand.fixture("deploy.lua")
    let first = try await mpf([script, "--", source], in: dir, environment: environment)
    #expect(first.status == 0, "\(first.stderr)")
    let suffix = sync == "tar" ? " (tar)" : ""
    #expect(first.stderr.contains("mpf: deploy hello [scale=1] on localhost: 2 files copied\(suffix), 1 build step"), "\(first.stderr)")
    #expect(first.stderr.contains("mpf: deploy hello [scale=10] on localhost: 2 files copied\(suffix), 1 build step"))
    #expect(first.stdout.lines().filter { $0.contains("hello") }.map { $0.split(separator: " ").filter { !$0.isEmpty } } == [
      ["1", "1", "0", "1", "hello"], ["1", "2", "0", "2", "hello"], ["10", "1", "0", "10", "hello"], ["10", "2", "0", "20", "hello"],
    ], "\(first.stdout)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    // Runs of one build follow each other.
    let scales = (doc["runs"]?.items ?? []).compactMap { $0["values"]?["scale"]?.intValue }
    #expect(scales == [1, 1, 10, 10] || scales == [10, 10, 1, 1], "\(scales)")
    let software = try #require(doc["software"]?.items.first)
    #expect(software["source"]?["kind"]?.string == "dir")
    #expect(software["source"]?["content_sha256"]?.string?.count == 64)
    let builds = try #require(software["machines"]?.items.first?["builds"])
    #expect(builds["scale=10"]?.string == "\(dir)/cache/mpf/software/hello/scale=10")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let log = try FileSystem.readString(FileSystem.join(experiment, "logs/deploy-localhost.log"))
    // coreutils is there: asked about, never installed.
    #expect(log.contains("which of coreutils are missing") && !log.contains("apt-get"), "\(log)")

    // Unchanged: nothing moves, make has nothing to do.
    FileSystem.removeTree(FileSystem.join(dir, "mpf_experiments"))
    let second = try await mpf([script, "--", source], in: dir, environment: environment)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("mpf: deploy hello [scale=1] on localhost: nothing copied, 1 build step"), "\(second.stderr)")
    let again = try FileSystem.readString(FileSystem.join(try #require(MPFCommand.experimentDirectory(in: dir)), "logs/deploy-localhost.log"))
    #expect(again.contains("'hello' is up to date"), "\(again)")

    // One file changed, one added then gone: only they move, and the program is rebuilt.
    try DeploySource.write(source, word: "bonjour")
    FileSystem.removeTree(FileSystem.join(dir, "mpf_experiments"))
    let third = try await mpf([script, "--", source], in: dir, environment: environment)
    #expect(third.stderr.contains("mpf: deploy hello [scale=1] on localhost: 1 file copied\(suffix), 1 build step"), "\(third.stderr)")
    #expect(third.stdout.contains("bonjour") && !third.stdout.contains("hello"), "\(third.stdout)")
  }

  /// Names that look like options, spaces, a newline that splits a path into `../victim`,
  /// symbolic links: each arrives as it is (a link as a link), a changed link is copied
  /// again, what the source lost is removed, and nothing outside the build folder changes.
  @Test(.timeLimit(.minutes(2)), arguments: ["rsync", "tar"])
  func aHostileSourceTreeStaysInsideItsBuildFolder(sync: String) async throws {
    let dir = MPFCommand.temporaryDirectory()
    let source = try HostileSource.make(in: dir)
    let root = FileSystem.join(dir, "cache/mpf/software")
    try HostileSource.plantVictims(in: root)
    let around = HostileSource.outside(root)
    let environment = sync == "tar" ? ["MPF_SYNC=tar"] : []
    let first = try await mpf([MPFCommand.fixture("deploy_hostile.lua"), "--", source], in: dir, environment: environment)
    #expect(first.status == 0, "\(first.stderr)")
    HostileSource.expectCopied(source, into: root)
    try HostileSource.changeLink(source)
    let second = try await mpf([MPFCommand.fixture("deploy_hostile.lua"), "--", source], in: dir, environment: environment)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("deploy tree on localhost: 1 file copied\(sync == "tar" ? " (tar)" : ""), 1 build step"), "\(second.stderr)")
    #expect(HostileSource.target(FileSystem.join(root, "tree/default/link")) == "-rf")
    try HostileSource.changeFiles(source)
    let third = try await mpf([MPFCommand.fixture("deploy_hostile.lua"), "--", source], in: dir, environment: environment)
    #expect(third.status == 0, "\(third.stderr)")
    HostileSource.expectCopied(source, into: root)
    #expect(!FileSystem.exists(FileSystem.join(root, "tree/default/d\n../victim")))
    #expect(HostileSource.outside(root) == around)
  }

  @Test(.timeLimit(.minutes(1))) func aFailingBuildStopsBeforeAnyRunNamingTheStep() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let source = try DeploySource.make(in: dir)
    let result = try await mpf([MPFCommand.fixture("deploy.lua"), "--", source, "node", "nosuchtarget"], in: dir)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("deploy.lua:8: error: deploying on localhost: hello [scale=1]: build step 1 `make nosuchtarget SCALE=1` failed (exit status 2)"), "\(result.stderr)")
    #expect(result.stderr.contains("No rule to make target"))
    // The log's path as said opens from where mpf ran: the experiment's folder is in it.
    let said = try #require(result.stderr.split(separator: "\n").first { $0.contains("the whole log: ") })
    let path = String(said.split(separator: "the whole log: ").last ?? "")
    #expect(path.hasSuffix("/logs/deploy-localhost.log"), "\(said)")
    #expect(FileSystem.exists(path.hasPrefix("/") ? path : FileSystem.join(dir, path)), "\(said)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect((doc["runs"]?.items ?? []).isEmpty)
  }

  @Test(.timeLimit(.minutes(2))) func twoGitRefsAreTwoBuildsAndEachRunSeesItsOwn() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let repository = try await DeploySource.repository(in: dir)
    let result = try await mpf([MPFCommand.fixture("deploy_git.lua"), "-q", "--", repository], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let rows = result.stdout.lines().dropFirst().map { $0.split(separator: " ").map(String.init) }
    #expect(rows.sorted { $0.joined() < $1.joined() } == [["v1", "first"], ["v1", "first"], ["v2", "second"], ["v2", "second"]], "\(result.stdout)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    let source = try #require(doc["software"]?.items.first?["source"])
    #expect(source["kind"]?.string == "git")
    let commits = try #require(source["commits"])
    let v1 = try await MPFCommand.runProgram(["git", "-C", repository, "rev-parse", "v1^{commit}"], in: dir)
    #expect(commits["version=v1"]?.string == v1.stdout.trimmed())
    let runCommits = Set((doc["runs"]?.items ?? []).compactMap { $0["results"]?["commit"]?.string })
    #expect(runCommits.count == 2)
  }

  @Test(.timeLimit(.minutes(1)), arguments: [
    ("nosource", "deploy_mistakes.lua:4: error: mpf.software: give dir (a folder of this machine) or git = {url = ..., ref = ...}"),
    ("unknown", "deploy_mistakes.lua:6: error: mpf.software: unknown field 'bulid' (fields: apt, build, build_timeout, dir, dnf, git, name, role, roles)"),
    ("package", "deploy_mistakes.lua:8: error: mpf.software: apt[1] '-oAPT::x=1' is not a package name"),
    ("twice", "deploy_mistakes.lua:11: error: mpf.software: 'x' is already declared at"),
    ("missing", "deploy_mistakes.lua:13: error: mpf.software 'x': dir"),
  ])
  func mistakesAreReportedAtTheirLine(mistake: String, message: String) async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await mpf([MPFCommand.fixture("deploy_mistakes.lua"), "-q", "--", mistake], in: dir)
    #expect(result.status != 0)
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }
}
