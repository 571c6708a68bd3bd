internal import MPFCore
import MPFSystem
import MPFText

/// A cgroup v2 holding the processes of one run (or of one experiment's `init` functions).
///
/// A process can shed its environment (`env -i`, `su -`), its session (`setsid`) and its
/// parent (a double fork on a controller, which is no subreaper), but not its cgroup: what a
/// command starts stays in the command's cgroup, and `cgroup.kill` ends them all at once, also
/// those forked while the kill runs. Made below this process's own cgroup, named
/// `mpf-<pid>-<token>-<n>`, where the machine lets us (root, or a delegated subtree);
/// elsewhere `make` returns nil and the shell falls back to the process tree and the mark.
package final class RunCgroup {
  /// The folder of this cgroup in the cgroup2 file system.
  package let path: String

  private init(path: String) { self.path = path }

  /// Whether this process may make cgroups with `cgroup.kill` (cgroup v2, kernel 5.14+).
  package static var available: Bool { parent != nil }

  /// The cgroup2 folder of this process, when it can hold cgroups of ours; found once.
  private static let parent: String? = {
    guard let mount = cgroup2Mount(), let own = ownCgroup() else { return nil }
    let folder = own == "/" ? mount : mount + own
    // Try it: a test cgroup proves we may make, fill and remove them.
    let probe = FileSystem.join(folder, "mpf-\(ThisProcess.id)-probe")
    guard (try? FileSystem.makeDirectory(probe)) != nil else { return nil }
    defer { try? FileSystem.removeDirectory(probe) }
    return FileSystem.exists(FileSystem.join(probe, "cgroup.kill")) ? folder : nil
  }()

  /// A new, empty cgroup for this process's commands, or nil where cgroups are out of reach.
  package static func make(token: String, number: Int) -> RunCgroup? {
    guard let parent else { return nil }
    let path = FileSystem.join(parent, "mpf-\(ThisProcess.id)-\(token)-\(number)")
    guard (try? FileSystem.makeDirectory(path)) == true else { return nil }
    return RunCgroup(path: path)
  }

  /// Shell text that moves the shell running it into this cgroup, before the command: the
  /// command's processes are then born inside it (nothing can fork before it moves).
  package var joinPrefix: String { "echo $$ > \(ShellQuote.quote(FileSystem.join(path, "cgroup.procs"))) 2>/dev/null; " }

  /// The live processes in this cgroup.
  package var processes: [Int32] {
    guard let text = try? FileSystem.readString(FileSystem.join(path, "cgroup.procs")) else { return [] }
    return text.split(separator: "\n").compactMap { Int32($0) }
  }

  /// SIGKILL to every process in the cgroup; waits (up to 2 s) for them to go, then removes it.
  package func killAndRemove() {
    RunCgroup.end(path)
  }

  /// Ends every cgroup this process made and still has (the worker's watchdog, whose shell
  /// is busy on another thread), and those left by an mpf process that no longer runs.
  package static func killAllOfThisProcess() {
    guard let parent else { return }
    for name in FileSystem.directoryEntries(parent) where name.hasPrefix("mpf-\(ThisProcess.id)-") {
      end(FileSystem.join(parent, name))
    }
  }

  /// Removes the empty cgroups of mpf processes that ended without removing them (a worker
  /// killed with SIGKILL); their processes, if any are left, are ended first.
  package static func removeAbandoned() {
    guard let parent else { return }
    for name in FileSystem.directoryEntries(parent) where name.hasPrefix("mpf-") {
      let fields = name.split(separator: "-")
      guard fields.count >= 3, let owner = Int32(fields[1]), owner != ThisProcess.id, ProcessTree.hasEnded(owner) else { continue }
      end(FileSystem.join(parent, name))
    }
  }

  private static func end(_ path: String) {
    if let control = try? FileDescriptor.open(FileSystem.join(path, "cgroup.kill"), .writeOnly) {
      try? control.write(Array("1".utf8))
    }
    // Busy while its killed processes are still exiting: retried for up to 2 s.
    _ = PollClock.system.wait(upTo: 2, every: 0.005) {
      do {
        try FileSystem.removeDirectory(path)
        return true
      } catch let error as SystemError where error.code == .busy {
        return false
      } catch {
        return true
      }
    }
  }

  /// Where the cgroup2 file system is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified`
  /// on a hybrid machine), from /proc/self/mountinfo.
  private static func cgroup2Mount() -> String? {
    guard let text = try? FileSystem.readString("/proc/self/mountinfo") else { return nil }
    for line in text.split(separator: "\n") {
      // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
      let halves = line.split(separator: " - ", maxSplits: 1)
      guard halves.count == 2, halves[1].hasPrefix("cgroup2 ") else { continue }
      let fields = halves[0].split(separator: " ")
      guard fields.count >= 5, fields[3] == "/" else { continue }
      return String(fields[4])
    }
    return nil
  }

  /// This process's cgroup v2 path (the `0::PATH` line of /proc/self/cgroup).
  private static func ownCgroup() -> String? {
    guard let text = try? FileSystem.readString("/proc/self/cgroup") else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("0::") {
      return String(line.dropFirst(3))
    }
    return nil
  }
}
