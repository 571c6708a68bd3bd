import Testing
import MPFCore


@Suite struct QuantityTests {
  @Test(arguments: [
    ("940 Kbits", 940_000.0, "bits"),
    ("1.2 ms", 0.0012, "s"),
    ("25.5 Gbits/sec", 25.5e9, "bits/s"),
    ("8 KiB", 8192.0, "bytes"),
    ("3 MB", 3e6, "bytes"),
    ("12.5", 12.5, ""),
    ("-3e2 us", -3e-4, "s"),
    ("42 %", 42.0, "%"),
    ("7 packets", 7.0, "packets"),
    ("2 min", 120.0, "s"),
  ])
  func parsesNumbersWithUnits(text: String, value: Double, unit: String) throws {
    let quantity = try #require(Quantity(parsing: text))
    #expect(abs(quantity.value - value) <= abs(value) * 1e-12)
    #expect(quantity.unit == unit)
  }

  @Test(arguments: [
    "hello", "", "fast path", "12 a b", "e5",
    // Strings that start with digits but are not numbers with a known unit stay strings.
    "3c9e1f2", "00:1b:21:3a:4f:5c", "12:30", "1,234", "0x10", "28d01968", "5 widgets",
  ])
  func refusesText(text: String) {
    #expect(Quantity(parsing: text) == nil)
  }
}

/// A whole-number result text keeps every digit: a Double would store 9007199254740993 as
/// 9007199254740992 (docs/security.md).
@Suite struct WholeNumberResultTests {
  @Test(arguments: [
    ("9007199254740993", Int64(9_007_199_254_740_993)),
    ("9007199254740993 packets", Int64(9_007_199_254_740_993)),
    ("123456789012345678", Int64(123_456_789_012_345_678)),
    (" -9223372036854775808 ", Int64.min),
  ])
  func keepsEveryDigit(text: String, whole: Int64) {
    #expect(Quantity.wholeNumber(parsing: text) == whole)
    #expect(ResultValue(raw: .string(text)).luaValue == .integer(whole))
  }

  @Test(arguments: ["9223372036854775808", "12 Kbits", "1.5", "1e3", "12 widgets", "abc", "-"])
  func leavesOtherTextToTheDouble(text: String) {
    #expect(Quantity.wholeNumber(parsing: text) == nil)
  }
}
