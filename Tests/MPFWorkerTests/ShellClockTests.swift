import Testing
import MPFCore
import MPFWorker
import MPFSystem
import MPFText
import MPFTestClock

/// Shell's timeouts (the kill grace, the leftover-output rule) are decided on its injected
/// clock: tested here without waiting for them.
@Suite struct ShellClockTests {
  /// A command that ignores SIGTERM past its deadline is killed once the grace has passed on
  /// the shell's clock: a manual clock makes the second of grace take no real time.
  @Test func aCommandIgnoringTermIsKilledAfterTheGraceOnTheShellsClock() throws {
    let time = ManualTime()
    let shell = Shell(clock: time.clock)
    defer { shell.endAll() }
    let ready = FileSystem.join(try TemporaryDirectory.make("mpf-test"), "ready")
    // Time passes (past the deadline) once the command ignores SIGTERM.
    startThread {
      while !FileSystem.exists(ready) { Clock.sleep(0.005) }
      time.advance(10)
    }
    shell.resetTimeout(5)
    let started = Clock.monotonic()
    let record = shell.run("trap '' TERM; : > \(ShellQuote.quote(ready)); sleep 30", location: "t.lua:1")
    let elapsed = Clock.monotonic() - started
    #expect(shell.timedOut)
    #expect(record.exitCode != 0)
    #expect(time.now >= 10 + Shell.killGrace, "the grace was waited on the shell's clock")
    #expect(elapsed < 25, "killed long before sleep 30 ended")
    #expect(time.sleepCount >= Int(Shell.killGrace / 0.005) - 1, "the grace was slept on the shell's clock")
  }

  /// When sh has exited but a process it left holds the output pipes, the output is done once
  /// the leftover grace has passed on the shell's clock: a clock that does not move keeps
  /// reading until the leftover ends, one that jumps stops at once.
  @Test func leftoverOutputEndsAfterTheGraceOnTheShellsClock() {
    func duration(step: Double) -> (Double, String) {
      let shell = Shell(clock: ManualTime(step: step).clock)
      defer { shell.endAll() }
      let started = Clock.monotonic()
      let record = shell.run("sleep 3 & echo hi", location: "t.lua:1")
      return (Clock.monotonic() - started, record.stdout)
    }
    let (frozen, frozenOutput) = duration(step: 0)
    let (jumping, jumpingOutput) = duration(step: 1)
    #expect(frozenOutput == "hi\n" && jumpingOutput == "hi\n")
    #expect(frozen >= 2.9, "a clock that does not move never ends the leftover grace")
    #expect(jumping < 2.5, "a clock past the grace ends the output at once")
  }
}
