internal import MPFCore
import MPFSystem
import MPFText

/// How an axis shows its values: the prefix its unit takes (values divided by `factor`), the
/// ticks, and the range drawn.
package struct AxisScale: Sendable {
  /// Values are divided by this before they are written (1e9 for Gbit/s).
  package var factor: Double
  /// The unit as the axis label writes it: `Gbit/s`, `KiB`, `ms`; empty for plain numbers.
  package var unitText: String
  package var low: Double
  package var high: Double
  package var log: Bool
  package var ticks: [(value: Double, text: String)]

  /// A scale covering `values` (already in base units).
  ///
  /// - Parameters:
  ///   - fromZero: start a linear axis at zero when every value is positive (bars, throughput).
  ///   - fixed: ticks to show instead of computed ones (the values of a variable, its labels).
  package init(values: some Sequence<Double>, unit: String?, log: Bool, fromZero: Bool, fixed: [(value: Double, text: String)]? = nil) {
    let (finiteLow, finiteHigh) = Self.extremes(of: values, positiveOnly: log)
    let (low, high) = (finiteLow ?? 0, finiteHigh ?? 1)
    // Ticks on a log axis span decades: each writes its own prefix (1k, 1M), the label the unit.
    (factor, unitText) = AxisScale.prefix(for: unit, magnitude: log ? 1 : max(abs(low), abs(high)))
    self.log = log
    let binary = unit == "bytes" || unit == "bytes/s"
    (self.low, self.high, ticks) =
      log ? Self.logSpan(low: low, high: high, binary: binary) : Self.linearSpan(low: low, high: high, factor: factor, fromZero: fromZero)
    if let fixed, !fixed.isEmpty {
      // Exactly these ticks: the data's range, a little padded, rather than whole decades.
      ticks = fixed
      let values = fixed.map(\.value) + [finiteLow, finiteHigh].compactMap { $0 }
      let (first, last) = (values.min() ?? self.low, values.max() ?? self.high)
      if log, first > 0 {
        let pad = pow(last / first, 0.05)
        (self.low, self.high) = (first / pad, last * pad)
      } else if !log {
        let pad = (last - first) * 0.05
        (self.low, self.high) = (first - pad, last + pad)
      }
    } else {
      let scaleFactor = factor
      let compact = unitText.isEmpty || log
      ticks = ticks.map { ($0.value, AxisScale.tickText($0.value / scaleFactor, compact: compact, binary: binary && log)) }
    }
  }

  /// The smallest and largest finite value (positive only on a log axis), read in one pass: a
  /// line of 100 000 points is not copied.
  private static func extremes(of values: some Sequence<Double>, positiveOnly: Bool) -> (Double?, Double?) {
    var low: Double?, high: Double?
    for value in values where value.isFinite && (!positiveOnly || value > 0) {
      if low.map({ value < $0 }) ?? true { low = value }
      if high.map({ $0 < value }) ?? true { high = value }
    }
    return (low, high)
  }

  /// A log axis over whole decades around the data (unless it spans less than one), ticked at
  /// 1, 2 and 5 of each decade when there are at most two, else at each; bytes at powers of two.
  private static func logSpan(low: Double, high: Double, binary: Bool) -> (Double, Double, [(value: Double, text: String)]) {
    var (low, high) = (low, high)
    if low <= 0 { low = 1 }
    if high <= low { high = low * 10 }
    let decades = (floor(log10(low)), ceil(log10(high)))
    let (lowDecade, highDecade) = decades.1 - decades.0 < 1 ? (decades.0, decades.0 + 1) : decades
    let (spanLow, spanHigh) = (min(low, pow(10, lowDecade)), max(high, pow(10, highDecade)))
    var ticks: [(value: Double, text: String)] = []
    if binary {
      // Bytes: powers of two, few enough to read.
      let (lowPower, highPower) = (floor(log2(spanLow)), ceil(log2(spanHigh)))
      let every = max(1, ceil((highPower - lowPower) / 8))
      var power = lowPower
      while power <= highPower {
        ticks.append((pow(2, power), ""))
        power += every
      }
      return (spanLow, spanHigh, ticks)
    }
    let steps: [Double] = highDecade - lowDecade <= 2 ? [1, 2, 5] : [1]
    var decade = lowDecade
    while decade <= highDecade {
      for step in steps {
        let value = step * pow(10, decade)
        if value >= spanLow * 0.999, value <= spanHigh * 1.001 { ticks.append((value, "")) }
      }
      decade += 1
    }
    return (spanLow, spanHigh, ticks)
  }

  /// A linear axis from a tick below the data to one above it, at a nice step in the unit shown
  /// (KiB, Gbit/s), not in the base unit; from zero when asked and the data is all on one side.
  private static func linearSpan(low: Double, high: Double, factor: Double, fromZero: Bool) -> (Double, Double, [(value: Double, text: String)]) {
    var (low, high) = (low, high)
    if fromZero, low > 0 { low = 0 }
    if fromZero, high < 0 { high = 0 }
    if high == low {
      let pad = low == 0 ? 1 : abs(low) * 0.1
      (low, high) = (low - pad, high + pad)
    }
    var step = AxisScale.niceStep((high - low) / factor / 5) * factor
    // Values too small or too far apart for a step (denormals, 1e308): ticks at the ends.
    if !(step > 0) || !step.isFinite || (high - low) / step > 100 { step = high - low > 0 && (high - low).isFinite ? high - low : 1 }
    let first = floor(low / step) * step
    let last = ceil(high / step) * step
    var ticks: [(value: Double, text: String)] = []
    var index = 0.0
    while first + index * step <= last + step * 1e-9, index < 200 {
      let value = first + index * step
      ticks.append((abs(value) < step * 1e-9 ? 0 : value, ""))
      index += 1
    }
    return (first, last, ticks)
  }

  /// Where `value` falls on the axis, from 0 (low) to 1 (high).
  package func position(_ value: Double) -> Double {
    if log {
      guard value > 0 else { return 0 }
      return (log10(value) - log10(low)) / (log10(high) - log10(low))
    }
    return high == low ? 0.5 : (value - low) / (high - low)
  }

  /// The axis label: `goodput (Gbit/s)`, or the name alone.
  package func label(_ name: String) -> String { unitText.isEmpty ? name : "\(name) (\(unitText))" }

  /// A value written with the axis's prefix and unit (`9.41 Gbit/s`).
  package func describe(_ value: Double) -> String {
    let number = NumberText.formatNumber(value / factor, digits: 3)
    return unitText.isEmpty ? number : "\(number) \(unitText)"
  }

  /// 1, 2, 2.5 or 5 times a power of ten, at least `rough`.
  static func niceStep(_ rough: Double) -> Double {
    guard rough > 0, rough.isFinite else { return 1 }
    let power = pow(10, floor(log10(rough)))
    for multiple in [1, 2, 2.5, 5, 10] where multiple * power >= rough * 0.999 { return multiple * power }
    return 10 * power
  }

  /// The prefix for a unit given the largest magnitude shown: (divide by, unit text).
  package static func prefix(for unit: String?, magnitude: Double) -> (Double, String) {
    guard let unit, !unit.isEmpty else { return (1, "") }
    let names: [String: String] = ["bits/s": "bit/s", "bits": "bit", "bytes": "B", "bytes/s": "B/s"]
    let shown = names[unit] ?? unit
    if unit == "%" { return (1, "%") }
    if unit == "bytes" || unit == "bytes/s" {
      let binary: [(Double, String)] = [(1_099_511_627_776, "Ti"), (1_073_741_824, "Gi"), (1_048_576, "Mi"), (1024, "Ki")]
      let chosen = binary.first { magnitude >= $0.0 } ?? (1, "")
      return (chosen.0, chosen.1 + shown)
    }
    let decimal: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n")]
    guard magnitude > 0 else { return (1, shown) }
    // Seconds are not written in ks or Ms; counts of things take k and M.
    let allowed = unit == "s" ? decimal.filter { $0.0 <= 1 } : decimal
    let chosen = allowed.first { magnitude >= $0.0 * 0.9995 } ?? allowed.last!
    return (chosen.0, chosen.1 + shown)
  }

  /// A tick's number: shortest text, with k/M/G for large plain numbers.
  static func tickText(_ value: Double, compact: Bool, binary: Bool = false) -> String {
    if binary, abs(value) >= 1024 {
      for (factor, suffix) in [(1_099_511_627_776.0, "Ti"), (1_073_741_824, "Gi"), (1_048_576, "Mi"), (1024, "Ki")] where abs(value) >= factor {
        return NumberText.formatNumber(value / factor, digits: 4) + suffix
      }
    }
    if compact, abs(value) >= 1e3 {
      for (factor, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] where abs(value) >= factor {
        return NumberText.formatNumber(value / factor, digits: 4) + suffix
      }
    }
    if compact, value != 0, abs(value) < 0.01 {
      for (factor, suffix) in [(1e-3, "m"), (1e-6, "µ"), (1e-9, "n")] where abs(value) >= factor * 0.9995 {
        return NumberText.formatNumber(value / factor, digits: 4) + suffix
      }
    }
    return NumberText.formatNumber(value, digits: 6)
  }
}
