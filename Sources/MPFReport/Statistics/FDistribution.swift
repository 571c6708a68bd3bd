import MPFSystem

/// Fisher's F distribution: the p-value of an F test.
package enum FDistribution {
  /// P(F ≥ f) for an F with `numerator` and `denominator` degrees of freedom.
  package static func upperTail(_ f: Double, numerator: Int, denominator: Int) -> Double {
    guard f.isFinite, f > 0, numerator > 0, denominator > 0 else { return f.isInfinite && f > 0 ? 0 : 1 }
    let (d1, d2) = (Double(numerator), Double(denominator))
    return regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2)
  }

  /// I_x(a, b), the regularized incomplete beta function, from its continued fraction (taken
  /// on the side where it converges fast).
  static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * log(x) + b * log(1 - x)
    if x < (a + 1) / (a + b + 2) { return exp(logFront) * continuedFraction(x, a, b) / a }
    return 1 - exp(logFront) * continuedFraction(1 - x, b, a) / b
  }

  /// The continued fraction of I_x(a, b), by the modified Lentz method.
  static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    d = 1 / (abs(d) < tiny ? tiny : d)
    var result = d
    for m in 1...300 {
      let m = Double(m)
      for numerator in [m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)), -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))] {
        d = 1 + numerator * d
        d = 1 / (abs(d) < tiny ? tiny : d)
        c = 1 + numerator / c
        if abs(c) < tiny { c = tiny }
        result *= d * c
        if numerator < 0, abs(d * c - 1) < 1e-14 { return result }
      }
    }
    return result
  }
}
