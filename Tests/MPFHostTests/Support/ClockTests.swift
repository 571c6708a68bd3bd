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
}
