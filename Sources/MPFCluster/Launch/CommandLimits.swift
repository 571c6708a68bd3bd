import Synchronization
package import MPFCore
package import MPFSystem

/// The bounds of a command run to completion on a machine (`WorkerLauncher.run`): how long it
/// may run, how much of its output is kept, and a way to end it from another thread.
package struct CommandLimits: Sendable {
  /// Seconds it may run; nil: as long as it takes.
  package var timeout: Double?
  /// Bytes kept of each of its output streams: the first half and the last, with a line
  /// saying how much was cut between them.
  package var output: Int
  /// Whether it ends itself when its standard input closes (a build step's wrapper does): it
  /// then gets a pipe mpf holds open until it ends it (or exits); other commands read
  /// /dev/null, so that one that reads its input never waits for it.
  package var endsWithInput: Bool
  /// Seconds between closing its standard input and killing it.
  package var grace: Double
  /// Ends it early (SIGTERM to the controller, Ctrl-C twice), with every command sharing it.
  package var stop: CommandStop?
  /// What the timeout and the grace are measured by (a test's steps time instead of sleeping).
  package var clock: PollClock

  package init(
    timeout: Double? = nil, output: Int = 16 << 20, endsWithInput: Bool = false, grace: Double = 0, stop: CommandStop? = nil,
    clock: PollClock = .system
  ) {
    self.clock = clock
    self.timeout = timeout
    self.output = output
    self.endsWithInput = endsWithInput
    self.grace = grace
    self.stop = stop
  }
}

/// A request, shared by the commands of a connector, to end them now (and those started after).
package final class CommandStop: Sendable {
  private let stopped = Mutex(false)

  package init() {}

  package func stop() { stopped.withLock { $0 = true } }

  package var isStopped: Bool { stopped.withLock { $0 } }
}

/// A command was ended because its connector was told to stop: nothing of it is to be trusted.
package struct CommandStopped: Error, CustomStringConvertible {
  package var description: String { "ended: mpf was told to stop" }
}
