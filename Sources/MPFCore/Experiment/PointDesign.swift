/// Which points of a large space run, when not all of them (`run_experiment{design = ...}`):
/// a seeded choice of `count` points among the candidates, so that a resume (same seed, same
/// script) chooses the same ones.
///
/// Only `SeededGenerator`'s own draws are used (never Swift's `random(in:using:)`, whose use of
/// the generator may change between versions), so a choice is fixed forever for a seed.
///
/// Each candidate is placed in the unit cube: a variable's value at position `k` of its `m`
/// values sits at `k / (m - 1)` (0 for a variable with one value, or that does not apply).
package struct PointDesign: Sendable, Equatable {
  package enum Kind: String, Sendable {
    /// Uniformly at random, without replacement.
    case random
    /// Latin hypercube: each variable's values cut into `count` strata, each stratum used once
    /// and each value as often as another (within one); each sample then takes the nearest
    /// candidate not yet taken.
    case lhs
    /// Space filling (WSP, as the original mpf): from a random first point, drop every
    /// candidate closer than a distance, go to the nearest one left, and so on; the distance is
    /// searched so that about `count` points remain.
    case wsp
  }

  package var kind: Kind
  package var count: Int

  package init(kind: Kind, count: Int) {
    self.kind = kind
    self.count = count
  }

  /// The chosen candidates' positions, in increasing order.
  package func choose(from points: [[LuaValue]], variables: [Variable], seed: UInt64) -> [Int] {
    guard count < points.count else { return Array(points.indices) }
    let coordinates = PointDesign.coordinates(points, variables)
    var generator = SeededGenerator(seed: seed ^ 0x5eed_de51_9a11_0000)
    switch kind {
    case .random:
      var order = Array(points.indices)
      generator.shuffle(&order)
      return order.prefix(count).sorted()
    case .lhs:
      return latinHypercube(coordinates, sizes: variables.map(\.values.count), generator: &generator)
    case .wsp:
      return spaceFilling(coordinates, generator: &generator)
    }
  }

  /// Each point in the unit cube, one coordinate per variable.
  package static func coordinates(_ points: [[LuaValue]], _ variables: [Variable]) -> [[Double]] {
    let positions = variables.map { variable in
      Dictionary(variable.values.enumerated().map { (ValueKey($1), $0) }, uniquingKeysWith: { first, _ in first })
    }
    return points.map { point in
      point.indices.map { column in
        let m = variables[column].values.count
        guard m > 1, point[column] != .nil, let k = positions[column][ValueKey(point[column])] else { return 0 }
        return Double(k) / Double(m - 1)
      }
    }
  }

  /// Each sample's target: for each variable, stratum `s` of `count` (its own shuffled order)
  /// covers value positions [s·m/count, (s+1)·m/count) of its `m` values, and the target takes
  /// one of them at random, so each stratum is used once and, over the samples, each value as
  /// often as any other (within one). The sample is the nearest candidate not yet taken (the
  /// target itself on a full grid; the closest one where `when`, `exclude` or `zip` removed it).
  private func latinHypercube(_ coordinates: [[Double]], sizes: [Int], generator: inout SeededGenerator) -> [Int] {
    let strata: [[Int]] = sizes.map { _ in
      var order = Array(0..<count)
      generator.shuffle(&order)
      return order
    }
    var taken = Set<Int>()
    for sample in 0..<count {
      let target = sizes.indices.map { d -> Double in
        let m = sizes[d]
        guard m > 1 else { return 0 }
        let stratum = strata[d][sample]
        let low = stratum * m / count
        let high = Swift.max(low + 1, (stratum + 1) * m / count)
        return Double(low + generator.below(high - low)) / Double(m - 1)
      }
      var best = -1
      var bestDistance = Double.infinity
      for (index, point) in coordinates.enumerated() where !taken.contains(index) {
        let distance = PointDesign.squaredDistance(point, target)
        if distance < bestDistance {
          (best, bestDistance) = (index, distance)
        }
      }
      if best >= 0 { taken.insert(best) }
    }
    return taken.sorted()
  }

  private func spaceFilling(_ coordinates: [[Double]], generator: inout SeededGenerator) -> [Int] {
    let first = generator.below(coordinates.count)
    // The larger the distance, the fewer points remain: search it for `count` points.
    var low = 0.0
    var high = Double(coordinates.first?.count ?? 1).squareRoot()
    // A pass stops once it has more than `count` points: that is all the search needs to know.
    var best = PointDesign.wspPass(coordinates, start: first, distance: low, atMost: count + 1)
    for _ in 0..<40 {
      let middle = (low + high) / 2
      let chosen = PointDesign.wspPass(coordinates, start: first, distance: middle, atMost: count + 1)
      if chosen.count >= count {
        low = middle
        best = chosen
      } else {
        high = middle
      }
      if best.count == count { break }
    }
    return Array(best.prefix(count)).sorted()
  }

  /// One pass of WSP at `distance`: the chosen points, in the order chosen (`atMost` of them).
  package static func wspPass(_ coordinates: [[Double]], start: Int, distance: Double, atMost: Int = .max) -> [Int] {
    let limit = distance * distance
    var alive = [Bool](repeating: true, count: coordinates.count)
    var chosen: [Int] = []
    var current = start
    while chosen.count < atMost {
      chosen.append(current)
      alive[current] = false
      var next = -1
      var nearest = Double.infinity
      let here = coordinates[current]
      for index in coordinates.indices where alive[index] {
        let d = squaredDistance(here, coordinates[index])
        if d < limit {
          alive[index] = false
        } else if d < nearest {
          (next, nearest) = (index, d)
        }
      }
      guard next >= 0 else { return chosen }
      current = next
    }
    return chosen
  }

  package static func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for i in a.indices {
      let d = a[i] - b[i]
      sum += d * d
    }
    return sum
  }
}
