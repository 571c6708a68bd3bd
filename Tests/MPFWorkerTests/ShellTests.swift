import Testing
import MPFCore
import MPFScript
import MPFCluster
import MPFWorker
import MPFSystem
import MPFText

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct ShellTests {
  @Test func runCapturesOutputAndExitCode() {
    let shell = Shell()
    defer { shell.endAll() }
    let record = shell.run("echo one; echo two; echo oops >&2; exit 7", location: "t.lua:1")
    #expect(record.stdout == "one\ntwo\n")
    #expect(record.stderr == "oops\n")
    #expect(record.exitCode == 7)
    #expect(!record.background)
  }

  /// `onLine` gets each line as the command prints it (before it ends), a last line without
  /// its newline at the end, a very long line in pieces; the record keeps the whole output.
  @Test func onLineGetsEachLineAsItComes() {
    let shell = Shell()
    defer { shell.endAll() }
    let started = Clock.monotonic()
    nonisolated(unsafe) var lines: [(String, Bool, Double)] = []
    shell.onLine = { line, isError in lines.append((line, isError, Clock.monotonic() - started)) }
    let record = shell.run("echo first; sleep 1; echo err >&2; head -c 70000 /dev/zero | tr '\\0' x; printf '\\nlast'", location: "t.lua:1")
    #expect(record.stdout.hasPrefix("first\n") && record.stdout.hasSuffix("\nlast"))
    #expect(lines.map(\.0.count) == [5, 3, LineSplitter.longest, 70000 - LineSplitter.longest, 4], "\(lines.map { ($0.0.prefix(10), $0.1) })")
    #expect(lines.first?.2 ?? 9 < 0.8, "the first line came before the command ended")
    #expect(lines.map(\.1) == [false, true, false, false, false])
  }

  /// A shell that adopts no orphans (the controller's) still ends what sheds its mark and
  /// leaves its tree, through the run's cgroup; it leaves no cgroup behind.
  @Test(.enabled(if: RunCgroup.available, "needs a writable cgroup v2"))
  func theRunsCgroupEndsWhatLeftTheTreeAndTheMark() throws {
    let shell = Shell(adoptsOrphans: false)
    let record = shell.run("setsid env -i sh -c 'sleep 302 & echo $!' < /dev/null", location: "t.lua:1")
    let pid = try #require(pid_t(record.stdout.trimmed()))
    #expect(!ProcessTree.hasEnded(pid))
    #expect(!shell.ownProcesses().contains(pid), "the shell would find it without its cgroup")
    _ = shell.endRun()
    let deadline = Clock.monotonic() + 5
    while Clock.monotonic() < deadline, !ProcessTree.hasEnded(pid) { Clock.sleep(0.01) }
    #expect(ProcessTree.hasEnded(pid))
    shell.endAll()
    #expect(cgroups(of: shell).isEmpty, "\(cgroups(of: shell))")
  }

  /// The cgroups of an mpf process that was killed are removed by the next one.
  @Test(.enabled(if: RunCgroup.available, "needs a writable cgroup v2"))
  func abandonedCgroupsAreRemoved() throws {
    let probe = try #require(RunCgroup.make(token: "probe", number: 1))
    let parent = FileSystem.dirname(probe.path)
    probe.killAndRemove()
    // A pid that has ended: a child reaped at once.
    let child = try Subprocess.spawn(["true"])
    _ = Subprocess.wait(child.pid)
    let abandoned = FileSystem.join(parent, "mpf-\(child.pid)-gone-1")
    #expect(mkdir(abandoned, 0o755) == 0)
    let shell = Shell(adoptsOrphans: false)
    shell.endAll()
    #expect(!FileSystem.exists(abandoned))
  }

  private func cgroups(of shell: Shell) -> [String] {
    guard let made = RunCgroup.make(token: "list", number: 0) else { return [] }
    let parent = FileSystem.dirname(made.path)
    made.killAndRemove()
    return FileSystem.directoryEntries(parent).filter { $0.hasPrefix("mpf-\(getpid())-\(shell.token)-") }
  }

  @Test func commandNotFoundIs127() {
    let shell = Shell()
    defer { shell.endAll() }
    let record = shell.run("surely-not-a-command-mpf", location: "t.lua:1")
    #expect(record.exitCode == 127)
    #expect(record.stderr.contains("not found"))
  }

  @Test func aDaemonHoldingThePipeDoesNotBlock() {
    let shell = Shell()
    defer { shell.endAll() }
    let start = Clock.monotonic()
    let record = shell.run("(sleep 30) & echo started", location: "t.lua:1")
    #expect(record.stdout == "started\n")
    #expect(Clock.monotonic() - start < 5)
  }

  @Test func endRunEndsBackgroundAndDetachedProcesses() throws {
    let shell = Shell()
    defer { shell.endAll() }
    let started = shell.start("echo bg-output; sleep 300", location: "t.lua:2")
    #expect(started.background && started.exitCode == nil)
    let daemon = shell.run("setsid sh -c 'sleep 301' > /dev/null 2>&1 < /dev/null & echo $!", location: "t.lua:3")
    let daemonPID = try #require(pid_t(daemon.stdout.trimmed()))
    waitFor(count: 3, in: shell)
    #expect(shell.ownProcesses().contains(daemonPID))
    // The background echo has run once its `sleep 300` exists.
    let deadline = Clock.monotonic() + 10
    while Clock.monotonic() < deadline, !shell.ownProcesses().contains(where: { pid in
      (try? FileSystem.readString("/proc/\(pid)/cmdline"))?.hasPrefix("sleep\0" + "300") == true
    }) {
      Clock.sleep(0.01)
    }
    let log = shell.endRun()
    #expect(ProcessTree.hasEnded(daemonPID))
    #expect(shell.ownProcesses().isEmpty)
    guard case .command(let record) = try #require(log.first) else {
      Issue.record("expected a command record")
      return
    }
    #expect(record.stdout == "bg-output\n")
    #expect(record.exitCode == 128 + SIGTERM)
  }

  @Test func processesStartedByInitSurviveRunEnds() throws {
    let shell = Shell()
    defer { shell.endAll() }
    _ = shell.start("exec sleep 302", location: "init.lua:1")
    waitFor(count: 1, in: shell)
    shell.keepCurrentProcesses()
    let kept = shell.ownProcesses()
    #expect(kept.count == 1)
    _ = shell.start("exec sleep 303", location: "run.lua:1")
    waitFor(count: 2, in: shell)
    _ = shell.endRun()
    #expect(shell.ownProcesses() == kept)
    shell.endAll()
    #expect(shell.ownProcesses().isEmpty)
  }

  /// Waits (up to 10 s) until the shell's processes have all started.
  private func waitFor(count: Int, in shell: Shell) {
    let deadline = Clock.monotonic() + 10
    while shell.ownProcesses().count < count, Clock.monotonic() < deadline { Clock.sleep(0.01) }
  }
}

@Suite struct MissingCommandTests {
  /// The warning names the command the shell could not find, not the first word of the line.
  @Test func theShellsOwnMessageNamesTheMissingCommand() {
    let shell = Shell()
    defer { shell.endAll() }
    let record = shell.run("echo a; mpf_no_such_command_x --flag", location: "t.lua:1")
    #expect(record.exitCode == 127)
    #expect(Worker.missingCommand(in: record.stderr) == "mpf_no_such_command_x")
    #expect(Worker.missingCommand(in: "sh: line 1: b: command not found\n") == "b")
    #expect(Worker.missingCommand(in: "grep: pattern: No such file or directory\n") == nil)
  }
}
