#if canImport(Glibc)
  internal import Glibc
#endif

/// Monotonic and wall-clock time without Foundation.
package enum Clock {
  /// Seconds on the monotonic clock (for durations).
  package static func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  /// Seconds since the Unix epoch (for timestamps).
  package static func wall() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  /// `2026-11-25T19:00:32.123Z` (UTC, milliseconds).
  package static func iso8601(_ seconds: Double) -> String {
    var t = time_t(seconds.rounded(.down))
    var parts = tm()
    gmtime_r(&t, &parts)
    let millis = Int((seconds - seconds.rounded(.down)) * 1000)
    func pad(_ n: Int32, _ width: Int) -> String { String(n).zeroPadded(to: width) }
    return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
      + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
  }

  /// Parses what `iso8601` writes back into seconds since the epoch.
  package static func parseISO8601(_ text: String) -> Double? {
    // By hand over the UTF-8 bytes: a stored experiment has one per run.
    var numbers: [Int] = []
    numbers.reserveCapacity(7)
    var current = -1
    var digits = 0
    var fractionDigits = 0
    for byte in text.utf8 {
      if byte >= 48 && byte <= 57 {
        if numbers.count == 6 {
          // Digits of the fraction past nanoseconds say nothing more: left out.
          guard fractionDigits < 9 else { continue }
          fractionDigits += 1
        } else {
          // A date or time field this long is no date (and would overflow).
          guard digits < 9 else { return nil }
        }
        digits += 1
        current = (current < 0 ? 0 : current * 10) + Int(byte - 48)
      } else if current >= 0 {
        numbers.append(current)
        current = -1
        digits = 0
      }
    }
    if current >= 0 { numbers.append(current) }
    guard numbers.count >= 6, text.utf8.last == UInt8(ascii: "Z") else { return nil }
    guard (1...9999).contains(numbers[0]), (1...12).contains(numbers[1]), (1...31).contains(numbers[2]), numbers[3] < 24,
      numbers[4] < 60, numbers[5] <= 60
    else { return nil }
    var parts = tm()
    parts.tm_year = Int32(numbers[0] - 1900)
    parts.tm_mon = Int32(numbers[1] - 1)
    parts.tm_mday = Int32(numbers[2])
    parts.tm_hour = Int32(numbers[3])
    parts.tm_min = Int32(numbers[4])
    parts.tm_sec = Int32(numbers[5])
    var fraction = 0.0
    if numbers.count > 6 {
      var scale = 1.0
      for _ in 0..<fractionDigits { scale *= 10 }
      fraction = Double(numbers[6]) / scale
    }
    return Double(timegm(&parts)) + fraction
  }

  /// Sleeps the calling thread (worker side only; async code uses Task.sleep).
  package static func sleep(_ seconds: Double) {
    guard seconds > 0 else { return }
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
  }
}
