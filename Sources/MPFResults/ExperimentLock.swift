package import MPFCore
package import MPFSystem
package import MPFText

/// The lock an mpf holds on an experiment directory while it writes it (`flock` on
/// `DIR/.lock`, which names the holder): a resume started while the experiment still runs is
/// refused instead of both writing one file. The kernel drops the lock when the process ends,
/// however it ends.
package final class ExperimentLock {
  private let file: FileDescriptor

  /// - Throws: `Diagnostic` naming the holder when another process has the lock,
  ///   `SystemError` when the lock file cannot be made (or is a link: never followed).
  package init(_ directory: Directory) throws {
    file = try directory.openFile(".lock", .readWrite, options: [.create])
    guard try file.tryLock(exclusive: true) else {
      var text = [UInt8](repeating: 0, count: 256)
      let count = (try? file.read(into: &text, at: 0)) ?? 0
      let holder = String(decoding: text.prefix(count), as: UTF8.self).trimmed().escapingControlCharacters
      throw Diagnostic(
        .results, "\(directory.path) is being written by another mpf\(holder.isEmpty ? "" : " (\(holder))")",
        notes: ["wait for it to end, or stop it (Ctrl-C), then resume"])
    }
    try file.truncate(to: 0)
    try file.write(Array("pid \(ThisProcess.id) on \(ThisProcess.hostName)\n".utf8))
  }

  /// Whether an mpf holds the lock of `directory` now (`mpf show` says "running"). Probes with
  /// a shared lock, which only the writer's exclusive one refuses, and lets go at once.
  package static func isHeld(in directory: String) -> Bool {
    guard let file = try? Directory.open(directory).openFile(".lock", .readOnly),
      let taken = try? file.tryLock(exclusive: false)
    else { return false }
    if taken { try? file.unlock() }
    return !taken
  }
}
