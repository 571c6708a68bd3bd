package import MPFSystem
/// A command's output kept within bounds: its first and last `keep` bytes in memory. Past
/// that, the whole stream goes to a spill file when there is a folder for it (the run's
/// `mpf.md` folder on a worker, brought back with the run), and what Lua and the log get is the
/// head and the tail around a line that says how much was cut and where the rest is.
package struct OutputBuffer {
  /// Bytes kept at each end (1 MiB).
  package static let keep = 1 << 20

  private let limit: Int
  private var head: [UInt8] = []
  private var tail: [UInt8] = []
  private var tailStart = 0
  package private(set) var total = 0
  private var spillFile: FileDescriptor?
  /// Whether the spill file was made, and written whole so far (no write failed).
  private var spilled = false
  private var spillTried = false
  private let spillPath: String?

  /// - Parameters:
  ///   - spillPath: where the whole output goes once it passes the bounds (nil: it is not kept).
  ///   - keep: bytes kept at each end.
  package init(spillPath: String?, keep: Int = OutputBuffer.keep) {
    self.spillPath = spillPath
    limit = keep
  }

  /// Whether bytes were left out of `text`.
  package var cut: Bool { total > head.count + (tail.count - tailStart) }

  package mutating func append(_ bytes: ArraySlice<UInt8>) {
    guard !bytes.isEmpty else { return }
    total += bytes.count
    var rest = bytes
    if head.count < limit {
      let taken = rest.prefix(limit - head.count)
      head += taken
      rest = rest.dropFirst(taken.count)
    }
    guard !rest.isEmpty else { return }
    if !spillTried, total > 2 * limit, let spillPath {
      spillTried = true
      // The folder (the run's mpf.md one) is made only when something goes into it.
      try? FileSystem.createDirectory(FileSystem.dirname(spillPath))
      spillFile = try? FileDescriptor.open(spillPath, .writeOnly, options: [.create, .truncate, .noFollow])
      spilled = spillFile != nil
      write(head[...])
      write(tail[tailStart...])
    }
    write(rest)
    tail += rest
    if tail.count - tailStart > limit { tailStart = tail.count - limit }
    // Drop the bytes before the tail now and then, not at every append.
    if tailStart > 4 * limit {
      tail.removeFirst(tailStart)
      tailStart = 0
    }
  }

  /// Adds `bytes` to the spill file, when there is one; a write that fails (a full disk) ends
  /// the spill file, and the output then says it was not kept.
  private mutating func write(_ bytes: ArraySlice<UInt8>) {
    guard let file = spillFile else { return }
    do {
      try file.write(bytes)
    } catch {
      spillFile = nil
      spilled = false
    }
  }

  /// The output as text: all of it, or its head and tail around a line saying what was cut.
  package mutating func finish() -> String {
    spillFile = nil
    let kept = Array(tail[tailStart...])
    guard cut else { return String(decoding: head + kept, as: UTF8.self) }
    let left = total - head.count - kept.count
    let whereItIs = spilled && spillPath != nil && FileSystem.exists(spillPath!)
      ? "the whole output is in \(FileSystem.basename(spillPath!)), with the run's files" : "it was not kept"
    return String(decoding: head, as: UTF8.self) + "\n[mpf: \(left) bytes of output cut here; \(whereItIs)]\n"
      + String(decoding: kept, as: UTF8.self)
  }
}
