import Synchronization
import Testing
import MPFSystem
import MPFTestClock

@Suite struct PollClockTests {
  /// A wait that never ends gives up after its time on the clock, having slept in steps of
  /// `every`; on a manual clock that takes no real time.
  @Test func aWaitGivesUpAfterItsTimeOnTheClock() {
    let time = ManualTime()
    let started = Clock.monotonic()
    let ended = time.clock.wait(upTo: 1, every: 0.005) { false }
    #expect(!ended)
    #expect(time.now >= 1 && time.now < 1.01)
    #expect(time.sleepCount == 200)
    #expect(Clock.monotonic() - started < 0.5)
  }

  /// A wait stops at the first check that holds, and a grace of 0 still checks once.
  @Test func aWaitStopsWhenDone() {
    let time = ManualTime()
    let checks = Mutex<Int>(0)
    #expect(time.clock.wait(upTo: 1, every: 0.1) { checks.withLock { $0 += 1; return $0 == 3 } })
    #expect(abs(time.now - 0.2) < 1e-9)
    #expect(ManualTime().clock.wait(upTo: 0, every: 0.1) { true })
  }
}
