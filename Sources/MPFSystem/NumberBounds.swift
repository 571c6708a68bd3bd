/// The one place a number becomes an integer, and the bounds numbers read from files share
/// with the same numbers given by scripts.
///
/// A `Double` that is not finite or out of `Int`'s range traps when converted with `Int(_:)`
/// (SIGILL: a result of `math.huge` or `0/0` once killed `mpf plot --term`): every conversion
/// of a measured or read number goes through `checkedInt` or `clampedInt`.
package enum NumberBounds {
  /// Runs in one experiment, at most: the bound `mpf.run_experiment` puts on a script's plan
  /// (mpf.experiment.lua), and on `n_runs` and `planned_runs` read from experiment.yaml.
  package static let maxRuns = 10_000_000

  /// `value` rounded by `rule` as an `Int`, or nil when it is not finite or out of range.
  package static func checkedInt(_ value: Double, rounding rule: FloatingPointRoundingRule = .towardZero) -> Int? {
    guard value.isFinite else { return nil }
    let rounded = value.rounded(rule)
    // 2^63 is the first Double beyond Int.max: anything below converts.
    guard rounded >= -9.223372036854775808e18, rounded < 9.223372036854775808e18 else { return nil }
    return Int(rounded)
  }

  /// `value` rounded by `rule` and held within `bounds`: an infinity or a number beyond them
  /// is the nearest bound, a NaN is `nan`.
  package static func clampedInt(
    _ value: Double, to bounds: ClosedRange<Int>, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero, nan: Int
  ) -> Int {
    if value.isNaN { return nan }
    if let whole = checkedInt(value, rounding: rule) { return min(max(whole, bounds.lowerBound), bounds.upperBound) }
    return value < 0 ? bounds.lowerBound : bounds.upperBound
  }

  /// What a graph says of the values it left out (an infinity or a NaN cannot be drawn).
  package static func leftOutNote(_ count: Int) -> String {
    "\(count) value\(count == 1 ? "" : "s") not finite (inf or nan) left out"
  }
}
