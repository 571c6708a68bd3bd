/// Monotonic and wall-clock time without Foundation; dates in UTC, computed here (the civil
/// calendar from days since the epoch, as Howard Hinnant's `days_from_civil`).
package enum Clock {
  /// Seconds on the monotonic clock (for durations).
  package static func monotonic() -> Double { system_clock(monotonic: true) }

  /// Seconds since the Unix epoch (for timestamps).
  package static func wall() -> Double { system_clock(monotonic: false) }

  /// `2026-11-25T19:00:32.123Z` (UTC, milliseconds).
  package static func iso8601(_ seconds: Double) -> String {
    let whole = NumberBounds.checkedInt(seconds, rounding: .down) ?? 0
    let millis = NumberBounds.clampedInt((seconds - seconds.rounded(.down)) * 1000, to: 0...999, rounding: .down, nan: 0)
    let (days, time) = (whole.floorDivided(by: 86400), whole.floorModulo(86400))
    let (year, month, day) = civil(fromDays: days)
    func pad(_ n: Int, _ width: Int) -> String {
      let digits = String(n)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
      + "\(pad(time / 3600, 2)):\(pad(time / 60 % 60, 2)):\(pad(time % 60, 2)).\(pad(millis, 3))Z"
  }

  /// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (a day past the
  /// month's end counts on into the next month, as `timegm` does).
  static func days(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = y.floorDivided(by: 400)
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146097 + dayOfEra - 719468
  }

  /// The date `days` after 1970-01-01.
  static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719468
    let era = z.floorDivided(by: 146097)
    let dayOfEra = z - era * 146097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shifted = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shifted + 2) / 5 + 1
    let month = shifted < 10 ? shifted + 3 : shifted - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
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
    let dayNumber = days(year: numbers[0], month: numbers[1], day: numbers[2])
    let seconds = dayNumber * 86400 + numbers[3] * 3600 + numbers[4] * 60 + numbers[5]
    var fraction = 0.0
    if numbers.count > 6 {
      var scale = 1.0
      for _ in 0..<fractionDigits { scale *= 10 }
      fraction = Double(numbers[6]) / scale
    }
    return Double(seconds) + fraction
  }

  /// Sleeps the calling thread (worker side only; async code uses Task.sleep).
  package static func sleep(_ seconds: Double) {
    guard seconds > 0 else { return }
    system_sleep(seconds)
  }
}

extension Int {
  /// Division rounding towards minus infinity (`-1 / 86400` is -1, not 0).
  fileprivate func floorDivided(by divisor: Int) -> Int {
    let quotient = self / divisor
    return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
  }

  /// The remainder that goes with `floorDivided`: between 0 and `divisor` - 1.
  fileprivate func floorModulo(_ divisor: Int) -> Int { self - floorDivided(by: divisor) * divisor }
}
