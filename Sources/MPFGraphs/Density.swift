internal import MPFCore
import MPFSystem

/// The estimated density of a sample, for violins: a Gaussian kernel with Silverman's
/// bandwidth, evaluated at evenly spaced values over the sample's range.
enum Density {
  /// How many values the density is evaluated at.
  static let points = 48

  /// `box` with the density of `samples` added; never below `floor` (0 for a quantity that
  /// cannot be negative).
  static func violin(_ samples: [Double], box: Figure.Box, floor: Double? = nil) -> Figure.Box {
    var box = box
    guard let low = samples.min(), let high = samples.max(), samples.count > 1, high > low else { return box }
    let bandwidth = self.bandwidth(samples, iqr: box.q3 - box.q1)
    // A little past the extremes, so that the violin's ends are rounded, not cut.
    let (from, to) = (max(low - bandwidth, floor ?? -.infinity), high + bandwidth)
    box.densityLow = from
    box.densityHigh = to
    box.density = (0..<points).map { index in
      estimate(at: from + (to - from) * Double(index) / Double(points - 1), samples, bandwidth)
    }
    return box
  }

  /// Silverman's rule of thumb: 0.9 × min(σ, IQR / 1.34) × n^(-1/5).
  static func bandwidth(_ samples: [Double], iqr: Double) -> Double {
    let n = Double(samples.count)
    let mean = samples.reduce(0, +) / n
    let sigma = (samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(n - 1, 1)).squareRoot()
    let spread = iqr > 0 ? min(sigma, iqr / 1.34) : sigma
    let chosen = 0.9 * spread * pow(n, -0.2)
    return chosen > 0 && chosen.isFinite ? chosen : max(abs(mean) * 0.01, 1e-12)
  }

  static func estimate(at value: Double, _ samples: [Double], _ bandwidth: Double) -> Double {
    let total = samples.reduce(0.0) { sum, sample in
      let u = (value - sample) / bandwidth
      return sum + exp(-0.5 * u * u)
    }
    return total / (Double(samples.count) * bandwidth * (2 * Double.pi).squareRoot())
  }
}
