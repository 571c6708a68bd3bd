import Testing
import MPFSystem

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

#if canImport(Glibc)
  import Glibc

  /// Clock's calendar arithmetic (no libc) agrees with the C library's `gmtime_r` and `timegm`.
  @Suite struct ClockCalendarTests {
    @Test func datesAgreeWithTheCLibrary() {
      var seconds = -2_208_988_800  // 1900-01-01
      while seconds < 4_102_444_800 {  // 2100-01-01
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        let expected = String(format4: Int(parts.tm_year) + 1900) + "-" + String(format2: Int(parts.tm_mon) + 1) + "-"
          + String(format2: Int(parts.tm_mday)) + "T" + String(format2: Int(parts.tm_hour)) + ":"
          + String(format2: Int(parts.tm_min)) + ":" + String(format2: Int(parts.tm_sec)) + ".000Z"
        #expect(Clock.iso8601(Double(seconds)) == expected)
        #expect(Clock.parseISO8601(expected) == Double(seconds))
        seconds += 86_400 * 37 + 3_671
      }
      // A day past the month's end counts on, as timegm does.
      var parts = tm()
      (parts.tm_year, parts.tm_mon, parts.tm_mday, parts.tm_hour) = (124, 1, 31, 5)
      #expect(Clock.parseISO8601("2024-02-31T05:00:00Z") == Double(timegm(&parts)))
    }
  }

  /// `n` in `width` digits, zeros on the left.
  private func zeroPadded(_ n: Int, _ width: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  extension String {
    fileprivate init(format2 n: Int) { self = zeroPadded(n, 2) }
    fileprivate init(format4 n: Int) { self = zeroPadded(n, 4) }
  }
#endif
