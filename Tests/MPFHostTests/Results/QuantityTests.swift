import Testing
import MPFCore
import MPFYAML
import MPFLua
import MPFResults
import MPFScript
import MPFCluster
import MPFWorker
import MPFHost


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

  @Test func resultValuesKeepRawAndBaseUnits() {
    let value = ResultValue(raw: "940 Kbits")
    #expect(value.luaValue == .integer(940_000))
    #expect(DataFrame.display(value) == "940 kbits")
    #expect(DataFrame.display(ResultValue(raw: "1.5 ms")) == "1.5 ms")
    #expect(DataFrame.display(ResultValue(raw: 3.14159265)) == "3.14159")
    // Whole numbers in full, byte sizes with binary prefixes, no float noise from prefixes.
    #expect(DataFrame.display(ResultValue(raw: 610062)) == "610062")
    #expect(DataFrame.display(ResultValue(raw: "16384 bytes")) == "16 KiB")
    #expect(DataFrame.display(ResultValue(raw: "8 KiB")) == "8 KiB")
    #expect(DataFrame.display(ResultValue(raw: "1536 B/s")) == "1.5 KiB/s")
    #expect(ResultValue(raw: "5 us").luaValue == .number(5e-06))
    #expect(ResultValue(raw: "0.3 ms").luaValue == .number(0.0003))
    #expect(DataFrame.display(ResultValue(raw: "done")) == "done")
  }
}
