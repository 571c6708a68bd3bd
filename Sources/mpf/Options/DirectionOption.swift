import ArgumentParser
import MPFReport

/// `--higher-is-better` / `--lower-is-better`: which way a result improves, over what its unit
/// and name say (compare, bisect, replay).
struct DirectionOption: ParsableArguments {
  @Flag(name: .customLong("higher-is-better"), help: "Higher values are better, whatever the unit.")
  var higherIsBetter = false

  @Flag(name: .customLong("lower-is-better"), help: "Lower values are better, whatever the unit.")
  var lowerIsBetter = false

  func validate() throws {
    if higherIsBetter && lowerIsBetter { throw ValidationError("--higher-is-better and --lower-is-better contradict each other") }
  }

  /// Nil: the unit or the name of each result says (or nothing does).
  var direction: Comparison.Direction? { higherIsBetter ? .higher : lowerIsBetter ? .lower : nil }
}
