/// How a function run on every machine of a role (`mpf.run{role = 'client', aggregate = ...}`)
/// folds the machines' values of one result into the result's own column; each machine's value
/// is kept too, as `result@client2`.
package enum NodeAggregate: String, Sendable, Hashable, CaseIterable {
  case sum, mean, min, max, median

  /// The aggregate of `values` (one per machine, in base units); nil when there is none.
  package func apply(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    switch self {
    case .sum: return values.reduce(0, +)
    case .mean: return values.reduce(0, +) / Double(values.count)
    case .min: return values.min()
    case .max: return values.max()
    case .median:
      let sorted = values.sorted()
      let middle = sorted.count / 2
      return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
  }
}
