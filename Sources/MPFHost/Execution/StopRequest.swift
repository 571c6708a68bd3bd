import Synchronization

/// A request to stop an experiment, raised by Ctrl-C (or a signal) and read by the orchestrator:
/// the first asks to finish the run in progress and stop, the second to stop now.
///
/// The orchestrator checks `level` between runs and awaits `changes` to act at once on a
/// second request; nothing polls.
package final class StopRequest: Sendable {
  package enum Level: Int, Sendable, Comparable {
    case none, afterRun, now
    package static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
  }

  private let state = Mutex<(level: Level, terminated: Bool)>((.none, false))
  private let stream: AsyncStream<Level>
  private let continuation: AsyncStream<Level>.Continuation

  package init() {
    (stream, continuation) = AsyncStream<Level>.makeStream(bufferingPolicy: .bufferingNewest(4))
  }

  deinit { continuation.finish() }

  package var level: Level { state.withLock { $0.level } }

  /// Raises the request one level (none → after the run → now) and says so to `changes`.
  @discardableResult
  package func escalate() -> Level {
    let level = state.withLock { state in
      state.level = Level(rawValue: min(state.level.rawValue + 1, Level.now.rawValue)) ?? .now
      return state.level
    }
    continuation.yield(level)
    return level
  }

  /// Stops now because the process was told to end (SIGTERM, SIGHUP).
  package func terminate() {
    state.withLock { $0 = (.now, true) }
    continuation.yield(.now)
  }

  /// Whether `terminate` asked for the stop.
  package var wasTerminated: Bool { state.withLock { $0.terminated } }

  /// Each new level, as it is raised (one consumer).
  package var changes: AsyncStream<Level> { stream }
}
