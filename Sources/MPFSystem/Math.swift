#if canImport(Glibc)
  internal import Glibc
#endif

// The C math functions the graphs and numbers need (libm), so that code outside the system
// layer needs no C header. Swift's standard library has the rest: `squareRoot()`,
// `rounded(_:)`, `abs`, `truncatingRemainder(dividingBy:)`.

/// Base-10 logarithm.
package func log10(_ x: Double) -> Double { Glibc.log10(x) }
/// Base-2 logarithm.
package func log2(_ x: Double) -> Double { Glibc.log2(x) }
/// `x` to the power `y`.
package func pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
/// The largest integer not above `x` (`x.rounded(.down)`).
package func floor(_ x: Double) -> Double { x.rounded(.down) }
/// The smallest integer not below `x` (`x.rounded(.up)`).
package func ceil(_ x: Double) -> Double { x.rounded(.up) }
/// Sine of `x` radians.
package func sin(_ x: Double) -> Double { Glibc.sin(x) }
/// Cosine of `x` radians.
package func cos(_ x: Double) -> Double { Glibc.cos(x) }
/// The natural logarithm of the absolute value of the gamma function (the F test's p-values).
package func logGamma(_ x: Double) -> Double { Glibc.lgamma(x) }
/// Natural logarithm.
package func log(_ x: Double) -> Double { Glibc.log(x) }
/// e to the power `x`.
package func exp(_ x: Double) -> Double { Glibc.exp(x) }
