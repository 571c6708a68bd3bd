import Testing
import MPFCore
import MPFResults
import MPFSystem
import MPFText

#if canImport(Glibc)
  import Glibc
#endif

/// A hostile user plants links (and FIFOs) in an experiment directory: mpf writes nothing
/// through a link, runs no stored path outside the directory, and hangs on no FIFO
/// (docs/security.md, "Writes never follow a planted link").
@Suite(.timeLimit(.minutes(2))) struct SymlinkTests {
  /// An experiment with two failed runs (x = 2, each with a log), ready for
  /// `resume --retry-failed`: the folder it ran in and the experiment's path below it.
  static func failedExperiment() async throws -> (dir: String, experiment: String) {
    let dir = MPFCommand.temporaryDirectory()
    let flag = FileSystem.join(dir, "broken")
    try FileSystem.writeAtomically(flag, [])
    let first = try await MPFCommand.run([MPFCommand.fixture("evolving.lua"), "-q", "--", "3", flag], in: dir)
    #expect(first.status == 3, "\(first.stderr)")
    let id = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).first)
    return (dir, "mpf_experiments/\(id)")
  }

  /// A file outside the experiment that a link will point at.
  static func victim(in dir: String) throws -> String {
    let path = FileSystem.join(dir, "victim")
    try FileSystem.writeAtomically(path, Array("precious\n".utf8))
    return path
  }

  static func plantLink(at path: String, to target: String) {
    FileSystem.removeTree(path)
    #expect(symlink(target, path) == 0)
  }

  @Test func aLinkedLockIsRefusedNotWrittenThrough() async throws {
    let (dir, experiment) = try await Self.failedExperiment()
    let victim = try Self.victim(in: dir)
    Self.plantLink(at: FileSystem.join(dir, "\(experiment)/.lock"), to: victim)
    let resumed = try await MPFCommand.run(["resume", experiment, "-q", "--retry-failed"], in: dir)
    #expect(resumed.status == 1)
    #expect(resumed.stderr.contains("\(experiment)/.lock is a symbolic link: mpf does not write through links; remove it"), "\(resumed.stderr)")
    #expect(try FileSystem.readString(victim) == "precious\n")
  }

  @Test func aLinkedRunLogIsRefusedNotWrittenThrough() async throws {
    let (dir, experiment) = try await Self.failedExperiment()
    let victim = try Self.victim(in: dir)
    let stored = try StoredExperiment.load(FileSystem.join(dir, experiment))
    let logs = stored.rows.indices.filter { stored.rows.status(at: $0) != .ok }.compactMap { stored.rows[$0].log }
    #expect(logs.count == 2)
    for log in logs { Self.plantLink(at: FileSystem.join(dir, "\(experiment)/\(log)"), to: victim) }
    let resumed = try await MPFCommand.run(["resume", experiment, "-q", "--retry-failed"], in: dir)
    #expect(resumed.status != 0)
    #expect(resumed.stderr.contains("\(experiment)/logs/run-") && resumed.stderr.contains(".log is a symbolic link: mpf does not write through links"), "\(resumed.stderr)")
    #expect(try FileSystem.readString(victim) == "precious\n")
  }

  @Test func aLinkedLogsFolderIsRefusedNotWrittenInto() async throws {
    let (dir, experiment) = try await Self.failedExperiment()
    let outside = FileSystem.join(dir, "outside")
    try FileSystem.createDirectory(outside)
    Self.plantLink(at: FileSystem.join(dir, "\(experiment)/logs"), to: outside)
    let resumed = try await MPFCommand.run(["resume", experiment, "-q", "--retry-failed"], in: dir)
    #expect(resumed.status != 0)
    #expect(resumed.stderr.contains("\(experiment)/logs is a symbolic link: mpf does not write through links; remove it"), "\(resumed.stderr)")
    #expect(FileSystem.directoryEntries(outside).isEmpty)
  }

  @Test func aLinkedGraphsFolderIsRefusedByReportAndResume() async throws {
    let (dir, experiment) = try await Self.failedExperiment()
    let outside = FileSystem.join(dir, "outside")
    try FileSystem.createDirectory(outside)
    Self.plantLink(at: FileSystem.join(dir, "\(experiment)/graphs"), to: outside)
    let report = try await MPFCommand.run(["report", experiment], in: dir)
    #expect(report.status == 1)
    #expect(report.stderr.contains("\(experiment)/graphs is a symbolic link: mpf does not write through links; remove it"), "\(report.stderr)")
    let resumed = try await MPFCommand.run(["resume", experiment, "--retry-failed"], in: dir)
    #expect(resumed.stderr.contains("\(experiment)/graphs is a symbolic link"), "\(resumed.stderr)")
    #expect(FileSystem.directoryEntries(outside).isEmpty)
  }

  /// The stored experiment.yaml is read and rewritten by a resume: a link there is refused,
  /// neither read (another file's text would be copied into the experiment) nor replaced.
  @Test func aLinkedExperimentFileIsRefusedByResume() async throws {
    let (dir, experiment) = try await Self.failedExperiment()
    let elsewhere = FileSystem.join(dir, "elsewhere.yaml")
    let file = FileSystem.join(dir, "\(experiment)/experiment.yaml")
    let text = try FileSystem.read(file)
    try FileSystem.writeAtomically(elsewhere, text)
    Self.plantLink(at: file, to: elsewhere)
    let resumed = try await MPFCommand.run(["resume", experiment, "-q", "--retry-failed"], in: dir)
    #expect(resumed.status == 1)
    #expect(resumed.stderr.contains("\(experiment)/experiment.yaml is a symbolic link"), "\(resumed.stderr)")
    #expect(try FileSystem.read(elsewhere) == text)
    #expect(FileSystem.status(file, followingLinks: false)?.kind == .symbolicLink)
  }

  /// A path stored in experiment.yaml is below the directory or refused: a resume never runs
  /// `script.copy: ../../x.lua`.
  @Test(arguments: ["../../outside.lua", "/tmp/outside.lua", "sub/../../outside.lua"])
  func aStoredScriptPathOutsideTheDirectoryIsRefused(copy: String) async throws {
    let (dir, experiment) = try await Self.failedExperiment()
    try FileSystem.writeAtomically(FileSystem.join(dir, "outside.lua"), Array("print('PWNED')\n".utf8))
    let file = FileSystem.join(dir, "\(experiment)/experiment.yaml")
    let text = try FileSystem.readString(file)
    #expect(text.contains("  copy: evolving.lua\n"))
    try FileSystem.writeAtomically(file, Array(text.replacingAll("  copy: evolving.lua\n", with: "  copy: \(copy)\n").utf8))
    let resumed = try await MPFCommand.run(["resume", experiment, "--retry-failed"], in: dir)
    #expect(resumed.status == 1)
    #expect(!resumed.stdout.contains("PWNED"))
    #expect(resumed.stderr.contains("\(experiment)/experiment.yaml:"), "\(resumed.stderr)")
    #expect(resumed.stderr.contains("script.copy '\(copy)' is outside the experiment directory"), "\(resumed.stderr)")
  }

  /// The script copy itself replaced by a link to a script elsewhere: not run either.
  @Test func aLinkedScriptCopyIsRefused() async throws {
    let (dir, experiment) = try await Self.failedExperiment()
    let outside = FileSystem.join(dir, "outside.lua")
    try FileSystem.writeAtomically(outside, Array("print('PWNED')\n".utf8))
    Self.plantLink(at: FileSystem.join(dir, "\(experiment)/evolving.lua"), to: outside)
    let resumed = try await MPFCommand.run(["resume", experiment, "--retry-failed"], in: dir)
    #expect(resumed.status == 1)
    #expect(!resumed.stdout.contains("PWNED"))
    #expect(resumed.stderr.contains("\(experiment)/experiment.yaml:"), "\(resumed.stderr)")
    #expect(resumed.stderr.contains("script.copy 'evolving.lua' is a symbolic link"), "\(resumed.stderr)")
  }

  /// A FIFO named experiment.yaml: `mpf list` and `mpf show` say what it is instead of waiting
  /// for a writer forever.
  @Test(.timeLimit(.minutes(1))) func aFIFOExperimentFileHangsNeitherListNorShow() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let experiment = FileSystem.join(dir, "mpf_experiments/0badf1f0")
    try FileSystem.createDirectory(experiment)
    #expect(mkfifo(FileSystem.join(experiment, "experiment.yaml"), 0o644) == 0)
    let list = try await MPFCommand.run(["list"], in: dir)
    #expect(list.stdout.contains("0badf1f0"), "\(list.stdout)\(list.stderr)")
    #expect(list.stdout.contains("mpf_experiments/0badf1f0/experiment.yaml is a FIFO, not a regular file"), "\(list.stdout)")
    let show = try await MPFCommand.run(["show", "mpf_experiments/0badf1f0"], in: dir)
    #expect(show.status == 1)
    #expect(show.stderr.contains("mpf_experiments/0badf1f0/experiment.yaml is a FIFO, not a regular file"), "\(show.stderr)")
  }
}
