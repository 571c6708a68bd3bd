package import MPFCore
import Synchronization
package import MPFSystem
package import MPFText

/// Runs `ex` commands on a node through `sh -c`, and ends every process a run started.
///
/// The worker is a child subreaper, so a daemon that detaches (`iperf3 -D`, `setsid`) is
/// reparented to it instead of to init, and `endRun` finds it among the worker's descendants.
/// Processes alive right after an `init` function are kept until `endAll`.
///
/// Every command gets `MPF_SHELL=<token>` in its environment, which its descendants inherit
/// (daemons included); only processes carrying this shell's token are ever ended, so two
/// shells in one process, or a controller's own workers, never end each other's processes.
///
/// Where the machine allows it (cgroup v2, root or a delegated subtree), every command also
/// starts inside a cgroup of the run (`RunCgroup`): what sheds both the mark and the process
/// tree (`setsid env -i` from the controller, which is no subreaper) ends with the run too.
package final class Shell {
  /// This shell's mark in the environment of everything it starts.
  package let token: String
  private let environment: [String]
  /// A private folder of this shell (background output, `mpf.md` directories).
  package var scratch: String {
    if let madeScratch { return madeScratch }
    let made = (try? TemporaryDirectory.make("mpf-worker")) ?? TemporaryDirectory.root
    madeScratch = made
    if made != TemporaryDirectory.root { Shell.scratchFolders.withLock { $0.append(made) } }
    return made
  }
  /// Every scratch folder of this process's shells, for a worker that must end at once
  /// (SIGTERM, its controller gone) from another thread: `Worker.endNow` removes them.
  static let scratchFolders = Mutex<[String]>([])
  /// Made on first use, so that a shell that never needs one leaves no folder behind.
  private var madeScratch: String?
  /// A file descriptor to watch for hang-up: the controller's stream. When it closes, the
  /// running command is ended and `onControllerLost` runs.
  private let controllerFD: Descriptor?
  private let onControllerLost: () -> Void
  private var background: [BackgroundCommand] = []
  private var persistent: Set<Int32> = []
  private var startedSinceRunBegan = false
  private var counter = 0
  /// The cgroup of the commands started since the last run ended (made on first use), and
  /// those of `init` functions, kept until `endAll`.
  private var group: RunCgroup?
  private var persistentGroups: [RunCgroup] = []
  private var groupCounter = 0

  /// `command` as given to `sh -c`: first moved into the run's cgroup, when there is one.
  private func shellText(_ command: String) -> String {
    if group == nil, RunCgroup.available {
      groupCounter += 1
      group = RunCgroup.make(token: token, number: groupCounter)
    }
    return (group?.joinPrefix ?? "") + command
  }
  /// Monotonic time (of `clock`) after which a running command is ended (0: none); see `timedOut`.
  package var deadline: Double = 0
  /// What deadlines and grace periods are measured by (a test's steps time instead of sleeping).
  package let clock: PollClock
  /// How long a command's process group has between SIGTERM and SIGKILL.
  package static let killGrace = 1.0
  /// How long output is still read after `sh` exited while a process it left holds the pipes
  /// (a daemon that kept its stdout): then the command is done.
  package static let leftoverGrace = 0.05

  private var pastDeadline: Bool { deadline > 0 && clock.now() > deadline }
  /// Where a command's output too long to keep goes whole (the run's `mpf.md` folder on a
  /// worker); nil: only its head and tail are kept.
  package var spillFolder: () -> String? = { nil }
  /// Each line a foreground command prints, as it comes (an interactive session shows them);
  /// its record still holds the whole output.
  package var onLine: ((_ line: String, _ isError: Bool) -> Void)?
  /// Set from another thread (Ctrl-C at `mpf repl`'s prompt): the command running now ends
  /// as a timed-out one would, its output so far kept.
  private let interruption = Atomic<Bool>(false)

  /// Ends the command running now (from any thread); `clearInterrupt` before the next one.
  package func interrupt() { interruption.store(true, ordering: .sequentiallyConsistent) }

  package func clearInterrupt() { interruption.store(false, ordering: .sequentiallyConsistent) }

  private var interrupted: Bool { interruption.load(ordering: .sequentiallyConsistent) }
  /// Set when a command was ended because the deadline passed.
  package private(set) var timedOut = false

  private struct BackgroundCommand {
    var pid: Int32
    var record: CommandRecord
    var outputPath: String
    var started: Double
  }

  /// - Parameter adoptsOrphans: make this process a child subreaper, so that daemons its
  ///   commands start stay its descendants and end with the run. A worker does; the
  ///   controller does not (its ssh masters detach, and must not become its zombies).
  ///   - ownsDescendants: every descendant of this process is a command's (an `mpf worker`
  ///     process): the end of a run ends them all, also those that shed the environment token
  ///     (`env -i`, `su -`, `sudo`). Elsewhere (the controller, a worker inside a test) only
  ///     the processes carrying this shell's token are its own.
  package init(
    controllerFD: Descriptor? = nil, adoptsOrphans: Bool = true, ownsDescendants: Bool = false, clock: PollClock = .system,
    onControllerLost: @escaping () -> Void = {}
  ) {
    self.controllerFD = controllerFD
    self.clock = clock
    self.onControllerLost = onControllerLost
    self.ownsDescendants = ownsDescendants && adoptsOrphans
    // Where it may not (an old kernel), daemons escape to init: the cgroup and the mark still end them.
    if adoptsOrphans { try? ThisProcess.becomeChildSubreaper() }
    RunCgroup.removeAbandoned()
    var generator = SystemRandomNumberGenerator()
    token = String(UInt64.random(in: 1...UInt64.max, using: &generator), radix: 36)
    environment = Shell.currentEnvironment().filter { !$0.hasPrefix("MPF_SHELL=") } + ["MPF_SHELL=\(token)"]
  }

  /// A shell dropped without `endAll` leaves no cgroup (nor process in one) behind.
  deinit {
    for group in (group.map { [$0] } ?? []) + persistentGroups { group.killAndRemove() }
  }

  /// Runs `command` to completion and returns what it printed and its exit code.
  package func run(_ command: String, location: String) -> CommandRecord {
    let start = Clock.monotonic()
    var record = CommandRecord(
      command: command, location: location, background: false, exitCode: nil, stdout: "", stderr: "", duration: 0)
    startedSinceRunBegan = true
    let process: Subprocess
    do {
      process = try Subprocess.spawn(
        ["sh", "-c", shellText(command)], stdin: .devNull, stdout: .pipe, stderr: .pipe, newProcessGroup: true,
        environment: environment)
    } catch {
      record.exitCode = 127
      record.stderr = "\(error)"
      return record
    }
    counter += 1
    var output = CommandOutput(
      of: process, spillFolder: spillFolder(), number: counter, controllerFD: controllerFD, clock: clock, onLine: onLine)
    let lost = output.collect { pastDeadline || interrupted }
    if lost {
      Signal.send(.kill, to: -process.pid)
      onControllerLost()
    }
    if pastDeadline || interrupted, Subprocess.poll(process.pid) == nil {
      // The deadline passed (or Ctrl-C): end the command (its output so far is kept).
      if !interrupted { timedOut = true }
      Signal.send(.terminate, to: -process.pid)
      _ = clock.wait(upTo: Self.killGrace, every: 0.005) { ProcessTree.hasEnded(process.pid) != false }
      Signal.send(.kill, to: -process.pid)
    }
    record.exitCode = Subprocess.wait(process.pid)
    reapOrphans()
    record.cut = output.out.cut || output.err.cut
    record.stdout = output.out.finish()
    record.stderr = output.err.finish()
    record.duration = Clock.monotonic() - start
    return record
  }

  /// Starts `command` in the background; its output goes to a file read back at run end.
  package func start(_ command: String, location: String) -> CommandRecord {
    startedSinceRunBegan = true
    counter += 1
    let outputPath = "\(scratch)/bg-\(counter).out"
    var record = CommandRecord(
      command: command, location: location, background: true, exitCode: nil, stdout: "", stderr: "", duration: 0)
    // Without an output file the command still runs; its output is then lost, and said so.
    let file = try? FileDescriptor.open(outputPath, .writeOnly, options: [.create, .truncate], permissions: 0o600)
    if file == nil { record.stderr = "mpf: cannot keep the output of this command in \(outputPath)" }
    do {
      let output: Subprocess.Stream = file.map { .file($0) } ?? .devNull
      let process = try Subprocess.spawn(
        ["sh", "-c", shellText(command)], stdin: .devNull, stdout: output, stderr: output, newProcessGroup: true,
        environment: environment)
      background.append(BackgroundCommand(pid: process.pid, record: record, outputPath: outputPath, started: Clock.monotonic()))
    } catch {
      record.exitCode = 127
      record.stderr = "\(error)"
    }
    return record
  }

  /// Clears `timedOut` before a call.
  package func resetTimeout(_ seconds: Double) {
    timedOut = false
    deadline = seconds > 0 ? clock.now() + seconds : 0
  }

  /// Marks every process alive now as belonging to the whole experiment (after `init`).
  package func keepCurrentProcesses() {
    persistent.formUnion(ownProcesses())
    if let group { persistentGroups.append(group) }
    group = nil
    background.removeAll()
    startedSinceRunBegan = false
  }

  /// Ends every process started since the last run ended (daemons included) and returns the
  /// final records of the background commands, with their output and exit codes.
  ///
  /// - Parameter folder: where a long background output goes whole (the run's files).
  package func endRun(spillingTo folder: String? = nil) -> [LogEntry] {
    endRun(spillingTo: folder, includingInit: false)
  }

  private func endRun(spillingTo folder: String? = nil, includingInit: Bool) -> [LogEntry] {
    var groups = group.map { [$0] } ?? []
    if includingInit {
      groups += persistentGroups
      persistentGroups.removeAll()
    }
    group = nil
    if startedSinceRunBegan {
      // A process caught in the middle of an exec has no readable environment for a moment:
      // sweep again until a pass finds nothing left (bounded).
      for _ in 0..<5 {
        let kept = keptProcesses()
        // Parents first (a shell signalled after its child would report the child's death).
        let tree = ownProcesses()
        let inTree = Set(tree)
        let victims = (tree + groups.flatMap(\.processes).filter { !inTree.contains($0) }).filter { !kept.contains($0) }
        if victims.isEmpty { break }
        terminate(victims)
      }
    }
    // What is left in the run's cgroup shed the mark and left the tree: ended at once. A run's
    // cgroup left empty serves the next run (making and removing one per run per worker is
    // what a run of many machines waited on: the kernel serialises cgroup creation).
    for (position, group) in groups.enumerated() {
      if position == 0, !includingInit, self.group == nil, group.processes.isEmpty {
        self.group = group
      } else {
        group.killAndRemove()
      }
    }
    startedSinceRunBegan = false
    reap(background.map(\.pid))
    let entries = background.map { command -> LogEntry in
      var record = command.record
      record.exitCode = backgroundExitCodes[command.pid]
      (record.stdout, record.cut) = Shell.boundedRead(command.outputPath, spillFolder: folder ?? spillFolder())
      record.duration = Clock.monotonic() - command.started
      FileSystem.removeFile(command.outputPath)
      return .command(record)
    }
    background.removeAll()
    backgroundExitCodes.removeAll()
    reapOrphans()
    return entries
  }

  /// Collects the daemons reparented to this worker that ended on their own (`iperf3 -D -s
  /// -1` once its client is done): without it each stays a zombie, and a long campaign
  /// reaches the process limit. Only zombie children no background command waits on are
  /// reaped, each by its pid (never `waitpid(-1)`), and only in a worker process, where every
  /// child is a command's.
  package func reapOrphans() {
    guard ownsDescendants else { return }
    let waited = Set(background.map(\.pid))
    for pid in ProcessTree.zombieChildren(of: ThisProcess.id) where !waited.contains(pid) {
      _ = Subprocess.reap(pid)
    }
  }

  /// A background command's output file: whole, or its head and tail when it is long (the
  /// file itself then moves to `spillFolder`, when there is one).
  static func boundedRead(_ path: String, spillFolder: String?) -> (String, Bool) {
    guard let file = try? FileDescriptor.open(path, .readOnly) else { return ("", false) }
    var buffer = OutputBuffer(spillPath: nil)
    var chunk = [UInt8](repeating: 0, count: 65536)
    while let n = try? file.read(into: &chunk), n > 0 {
      buffer.append(chunk[0..<n])
    }
    let cut = buffer.cut
    var text = buffer.finish()
    if cut, let spillFolder, (try? FileSystem.createDirectory(spillFolder)) != nil,
      (try? FileSystem.rename(path, to: FileSystem.join(spillFolder, FileSystem.basename(path)))) != nil
    {
      text = text.replacingAll("; it was not kept]", with: "; the whole output is in \(FileSystem.basename(path)), with the run's files]")
    }
    return (text, cut)
  }

  /// Ends everything, `init` processes included, and removes the scratch folder.
  package func endAll() {
    persistent.removeAll()
    startedSinceRunBegan = true
    _ = endRun(includingInit: true)
    if let made = madeScratch, made != TemporaryDirectory.root {
      FileSystem.removeTree(made)
      Shell.scratchFolders.withLock { $0.removeAll { $0 == made } }
      madeScratch = nil
    }
  }

  private var backgroundExitCodes: [Int32: Int32] = [:]

  private let ownsDescendants: Bool

  /// The live descendants of this process that this shell started: all of them in a worker
  /// process (a subreaper: daemons stay its descendants), else those carrying its token.
  package func ownProcesses() -> [Int32] {
    if ownsDescendants { return ProcessTree.descendants(of: ThisProcess.id).filter { !ProcessTree.hasEnded($0) } }
    let mark = Array("MPF_SHELL=\(token)".utf8)
    return ProcessTree.descendants(of: ThisProcess.id).filter { pid in
      // During an exec the environment reads empty for a moment: retry briefly before
      // deciding (a process that really has no environment costs 20 ms here).
      for _ in 0..<20 {
        if ProcessTree.hasEnded(pid) { return false }
        if let environ = try? FileSystem.read("/proc/\(pid)/environ"), !environ.isEmpty {
          return environ.split(separator: 0).contains { $0.elementsEqual(mark) }
        }
        clock.sleep(0.001)
      }
      return false
    }
  }

  package static func currentEnvironment() -> [String] { ThisProcess.environmentEntries }

  private func keptProcesses() -> Set<Int32> {
    guard !persistent.isEmpty else { return [] }
    let alive = persistent.filter { !ProcessTree.hasEnded($0) }
    var kept = Set(alive)
    for pid in alive { kept.formUnion(ProcessTree.descendants(of: pid)) }
    return kept
  }

  /// SIGTERM to each process and its group, up to a second's grace, then SIGKILL.
  private func terminate(_ victims: [Int32]) {
    guard !victims.isEmpty else { return }
    for pid in victims {
      Signal.send(.terminate, to: -pid)
      Signal.send(.terminate, to: pid)
    }
    var remaining = victims
    _ = clock.wait(upTo: Self.killGrace, every: 0.005) {
      reap(victims)
      remaining = remaining.filter { !ProcessTree.hasEnded($0) }
      return remaining.isEmpty
    }
    for pid in remaining {
      Signal.send(.kill, to: -pid)
      Signal.send(.kill, to: pid)
    }
    if !remaining.isEmpty { clock.sleep(0.01) }
    reap(victims)
  }

  /// Collects the exit status of those of `pids` that are our children and have ended. Only
  /// these pids: a `waitpid(-1)` would steal statuses that others wait for (a worker's).
  private func reap(_ pids: [Int32]) {
    for pid in pids {
      if let code = Subprocess.reap(pid) { backgroundExitCodes[pid] = code }
    }
  }
}
