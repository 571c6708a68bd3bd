/// The time a blocking loop decides its timeouts by: the monotonic clock and a sleep of the
/// calling thread. Code that waits with a deadline or a grace period takes one (default
/// `.system`), so that a test steps time instead of sleeping (`PollClock.manual`).
package struct PollClock: Sendable {
  /// Seconds on this clock now.
  package var now: @Sendable () -> Double
  /// Sleeps the calling thread `seconds` of this clock.
  package var sleep: @Sendable (Double) -> Void

  package init(now: @escaping @Sendable () -> Double, sleep: @escaping @Sendable (Double) -> Void) {
    self.now = now
    self.sleep = sleep
  }

  /// The monotonic clock and a real sleep.
  package static let system = PollClock(now: { Clock.monotonic() }, sleep: { Clock.sleep($0) })

  /// Checks `done` every `interval` until it holds or `seconds` of this clock have passed;
  /// whether it held. `done` is checked once more at the end, so a grace of 0 still looks once.
  package func wait(upTo seconds: Double, every interval: Double, until done: () -> Bool) -> Bool {
    let deadline = now() + seconds
    while !done() {
      if now() >= deadline { return done() }
      sleep(interval)
    }
    return true
  }
}
