/// Adaptive repetitions (`n_runs = {min =, max =, until_ci =, on =}`): each point runs `min`
/// times, then again, one repetition per round in a shuffled order, until the 95% confidence
/// interval of result `on` is within `untilCI` of its mean (relative half-width), or it has run
/// `max` times.
package struct AdaptiveRule: Sendable, Equatable {
  package var min: Int
  package var max: Int
  package var untilCI: Double
  package var on: String

  package init(min: Int, max: Int, untilCI: Double, on: String) {
    self.min = min
    self.max = max
    self.untilCI = untilCI
    self.on = on
  }

  /// Why a point stops, or nil while it goes on, from the values of `on` in its ok runs,
  /// `attempts` runs in all, and the relative half-width of their interval (nil: not computable).
  package func stop(values: [Double], attempts: Int, relativeHalfWidth: Double?) -> String? {
    if let width = relativeHalfWidth, values.count >= Swift.max(min, 2), width <= untilCI {
      return "converged"
    }
    if attempts >= max { return "max" }
    return nil
  }
}
