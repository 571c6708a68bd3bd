package import MPFSystem
import Synchronization

/// A clock whose time passes only when something sleeps on it, when it is read (`step` per
/// read) or when a test advances it: timeouts decided on it take no real time.
package final class ManualTime: Sendable {
  private let seconds = Mutex<Double>(0)
  private let step: Double
  private let sleeps = Mutex<Int>(0)

  package init(step: Double = 0) { self.step = step }

  package var now: Double { seconds.withLock { $0 } }
  package var sleepCount: Int { sleeps.withLock { $0 } }
  package func advance(_ by: Double) { seconds.withLock { $0 += by } }

  package var clock: PollClock {
    PollClock(
      now: { [self] in seconds.withLock { time in defer { time += step }; return time } },
      sleep: { [self] by in
        sleeps.withLock { $0 += 1 }
        advance(by)
      })
  }
}

