import Testing
import MPFCore

@Suite struct ClockTests {
  @Test func iso8601RoundTrips() throws {
    for seconds in [0.0, 1_700_000_000.125, 1_764_154_455.366] {
      let text = Clock.iso8601(seconds)
      let parsed = try #require(Clock.parseISO8601(text))
      #expect(abs(parsed - seconds) < 0.001, "\(text)")
    }
    #expect(Clock.parseISO8601("2026-11-26T11:14:15Z") == 1_795_691_655)
    #expect(Clock.parseISO8601("2026-11-26T11:14:15.5Z") == 1_795_691_655.5)
    #expect(Clock.parseISO8601("2026-11-26") == nil)
    #expect(Clock.parseISO8601("2026-11-26T11:14:15") == nil)
  }

  /// Found by scripts/fuzz (results): a time with a long fraction or a huge field in a stored
  /// run crashed mpf show, resume and mpf.load (an integer overflow).
  @Test func timesThatAreNoTimesAreRefusedWithoutACrash() {
    let long = Clock.parseISO8601("2026-11-26T14:06:34.38677777777777777777777777777777777777777777777Z")
    #expect(long.map { abs($0 - 1_795_701_994.386777777) < 1e-6 } == true, "\(String(describing: long))")
    #expect(Clock.parseISO8601("99999999999999999999999-11-26T14:06:34Z") == nil)
    #expect(Clock.parseISO8601("2026-13-26T14:06:34Z") == nil)
    #expect(Clock.parseISO8601("2026-11-26T24:06:34Z") == nil)
    #expect(Clock.parseISO8601("0-0-0T0:0:0Z") == nil)
  }
}
