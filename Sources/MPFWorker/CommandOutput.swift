import MPFCore
import MPFSystem

/// What a foreground command prints, read from its stdout and stderr pipes until both close, or
/// until `sh` has exited and a process it left behind (a daemon that kept its stdout) holds them
/// open past `Shell.leftoverGrace`. Each line goes to `lines` as it comes; both streams are kept
/// within bounds (`OutputBuffer`). While it reads, the controller's stream is watched for
/// hang-up, and `shouldStop` (the deadline passed, Ctrl-C) ends the reading with what came so far.
struct CommandOutput {
  var out: OutputBuffer
  var err: OutputBuffer
  private var lines: LineSplitter?
  private let process: Subprocess
  private let controllerFD: Descriptor?
  private let clock: PollClock
  private var buffer = [UInt8](repeating: 0, count: 65536)

  init(of process: Subprocess, spillFolder: String?, number: Int, controllerFD: Descriptor?, clock: PollClock,
    onLine: ((_ line: String, _ isError: Bool) -> Void)?)
  {
    self.process = process
    self.controllerFD = controllerFD
    self.clock = clock
    out = OutputBuffer(spillPath: spillFolder.map { FileSystem.join($0, "ex-\(number).stdout") })
    err = OutputBuffer(spillPath: spillFolder.map { FileSystem.join($0, "ex-\(number).stderr") })
    lines = onLine.map(LineSplitter.init)
  }

  /// Reads until the command's output ends; true when the controller went away meanwhile.
  mutating func collect(until shouldStop: () -> Bool) -> Bool {
    var open = [process.stdout, process.stderr].compactMap { $0 }
    var exitedAt: Double?
    defer {
      process.stdout?.close()
      process.stderr?.close()
      lines?.finish()
    }
    while !open.isEmpty {
      if shouldStop() {
        // What the command printed before its end is its output: read what is waiting
        // (a loaded machine may run this loop late, past the deadline).
        drain(open)
        break
      }
      var watched = open.map { ($0, PollEvents.readable) }
      if let controllerFD { watched.append((controllerFD, [])) }
      let events: [PollEvents]
      do {
        // nil: a signal interrupted the wait; look at the deadline and wait again.
        events = try Descriptor.poll(watched, milliseconds: exitedAt == nil ? 100 : 20) ?? watched.map { _ in [] }
      } catch {
        break
      }
      if controllerFD != nil, let last = events.last, !last.isDisjoint(with: [.hangUp, .error]) { return true }
      let progressed = read(ready: events, of: &open)
      if events.allSatisfy(\.isEmpty) || !progressed {
        // Has sh itself exited while something it started keeps the pipes open?
        if exitedAt == nil, ProcessTree.hasEnded(process.pid) { exitedAt = clock.now() }
        if let exitedAt, clock.now() - exitedAt > Shell.leftoverGrace { break }
      }
    }
    return false
  }

  /// Reads once from each of `open` that `events` says is ready, dropping those that closed;
  /// true when bytes came.
  private mutating func read(ready events: [PollEvents], of open: inout [Descriptor]) -> Bool {
    var progressed = false
    for (fd, ready) in zip(open, events) where !ready.isEmpty {
      do {
        let n = try fd.read(into: &buffer)
        if n > 0 {
          progressed = true
          keep(n, from: fd)
        } else {
          open.removeAll { $0 == fd }
        }
      } catch let error as SystemError where error.code == .wouldBlock {
        continue
      } catch {
        open.removeAll { $0 == fd }
      }
    }
    return progressed
  }

  /// Reads what is in the pipes now, without waiting.
  private mutating func drain(_ fds: [Descriptor]) {
    for fd in fds {
      while let events = try? Descriptor.poll([(fd, .readable)], milliseconds: 0), events.first?.contains(.readable) == true,
        let n = try? fd.read(into: &buffer), n > 0
      {
        keep(n, from: fd)
      }
    }
  }

  private mutating func keep(_ count: Int, from fd: Descriptor) {
    let bytes = buffer[0..<count]
    let isError = fd != process.stdout
    if isError { err.append(bytes) } else { out.append(bytes) }
    lines?.take(bytes, isError: isError)
  }
}
