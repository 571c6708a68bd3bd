import Testing
import MPFCore
import MPFCluster
import MPFSystem
import MPFTestClock

/// A local command's timeout and grace, and a worker channel's closing grace, are decided on
/// an injected clock: tested here without waiting for them.
@Suite struct LauncherClockTests {
  /// A command past its timeout has its input closed, then is killed after the grace, both
  /// measured on the limits' clock: 100 s of timeout and 200 s of grace take next to no real time
  /// (the bound is loose: a loaded machine starts a process slowly).
  @Test func aCommandsTimeoutAndGraceAreMeasuredOnTheLimitsClock() throws {
    let time = ManualTime(step: 0.5)
    let started = Clock.monotonic()
    let output = try LocalLauncher().run(
      "exec sleep 30", on: Machine(hostname: "localhost"), input: nil, opening: false,
      limits: CommandLimits(timeout: 100, endsWithInput: true, grace: 200, clock: time.clock))
    #expect(output.ending == .timedOut)
    #expect(output.status != 0)
    #expect(time.now >= 300, "the timeout and the grace were waited on the limits' clock")
    #expect(Clock.monotonic() - started < 30, "300 s of the clock took next to no real time")
  }

  /// A worker that does not end when its input closes is killed after the grace of `close`,
  /// measured on the channel's clock.
  @Test func aWorkerThatDoesNotEndIsKilledAfterTheGraceOnTheChannelsClock() async throws {
    let time = ManualTime()
    let channel = try ProcessChannel(name: "t", arguments: ["sh", "-c", "exec sleep 30"], clock: time.clock)
    let started = Clock.monotonic()
    await channel.close(grace: 600)
    #expect(time.now >= 600, "the grace was waited on the channel's clock")
    #expect(Clock.monotonic() - started < 60, "600 s of the clock took next to no real time")
  }
}
