import Testing
import MPFCore
import MPFResults
import MPFYAML

/// How a stored result is shown in a table: its unit kept, whole numbers in full.
@Suite struct ResultDisplayTests {
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

/// experiment.yaml stores a whole-number result text with every digit (docs/security.md).
@Suite struct WholeNumberRecordTests {
  @Test func storesEveryDigit() throws {
    let plain = try YAMLEmitter.emit(ExperimentRecord.result(ResultValue(raw: .string("9007199254740993"))))
    #expect(plain.contains("9007199254740993"))
    let counted = try YAMLEmitter.emit(ExperimentRecord.result(ResultValue(raw: .string("123456789012345678 packets"))))
    #expect(counted.contains("value: 123456789012345678,"))
  }
}
