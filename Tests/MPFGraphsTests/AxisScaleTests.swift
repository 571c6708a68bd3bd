import Testing
import MPFGraphs

@Suite struct AxisScaleTests {
  @Test func unitsTakeThePrefixOfTheLargestValue() {
    let rate = AxisScale(values: [2.1e9, 9.4e9], unit: "bits/s", log: false, fromZero: true)
    #expect(rate.unitText == "Gbit/s")
    #expect(rate.label("goodput") == "goodput (Gbit/s)")
    #expect(rate.ticks.map(\.text) == ["0", "2", "4", "6", "8", "10"])
    let bytes = AxisScale(values: [8192, 32768], unit: "bytes", log: false, fromZero: true)
    #expect(bytes.unitText == "KiB")
    #expect(bytes.ticks.map(\.text) == ["0", "10", "20", "30", "40"])
    let time = AxisScale(values: [20e-6, 280e-6], unit: "s", log: false, fromZero: true)
    #expect(time.unitText == "µs")
    #expect(time.ticks.last?.text == "300")
    #expect(AxisScale(values: [5000], unit: "s", log: false, fromZero: true).unitText == "s")
    #expect(AxisScale(values: [1, 2], unit: nil, log: false, fromZero: true).label("n") == "n")
  }

  @Test func plainNumbersAreWrittenCompactly() {
    let scale = AxisScale(values: [0, 2_000_000], unit: nil, log: false, fromZero: true)
    #expect(scale.ticks.map(\.text) == ["0", "500k", "1M", "1.5M", "2M"])
  }

  @Test func logAxesTickDecades() {
    let scale = AxisScale(values: [3, 40_000], unit: nil, log: true, fromZero: false)
    #expect(scale.ticks.map(\.text) == ["1", "10", "100", "1k", "10k", "100k"])
    #expect(scale.position(1) == 0)
    #expect(abs(scale.position(100) - 0.4) < 1e-12)
  }

  /// Values no step fits (denormals, the ends of the double range) still give a few ticks.
  @Test func extremeValuesGiveFewTicksAndNeverHang() {
    for values in [[5e-324, 1e-323], [-1.7e308, 1.7e308], [0, 1e-310], [1e300, 1e300]] {
      let scale = AxisScale(values: values, unit: nil, log: false, fromZero: false)
      #expect(scale.ticks.count >= 1 && scale.ticks.count <= 200, "\(values): \(scale.ticks.count) ticks")
    }
  }

  @Test func positionsAreLinear() {
    let scale = AxisScale(values: [0, 10], unit: nil, log: false, fromZero: true)
    #expect(scale.position(5) == 0.5)
  }
}
