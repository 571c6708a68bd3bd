import Testing
import MPFCore

@Suite struct PointDesignTests {
  let variables = [4, 5, 5, 5, 4].enumerated().map { index, count in
    Variable(name: "x\(index)", values: (1...count).map { LuaValue.integer(Int64($0)) })
  }
  var candidates: [[LuaValue]] { RunPlan.product(of: variables) }

  func smallestDistance(_ chosen: [Int]) -> Double {
    let coordinates = chosen.map { PointDesign.coordinates([candidates[$0]], variables)[0] }
    var smallest = Double.infinity
    for i in coordinates.indices {
      for j in coordinates.indices where j > i {
        smallest = min(smallest, PointDesign.squaredDistance(coordinates[i], coordinates[j]).squareRoot())
      }
    }
    return smallest
  }

  @Test(arguments: [PointDesign.Kind.random, .lhs, .wsp])
  func aSeedAlwaysChoosesTheSamePoints(kind: PointDesign.Kind) {
    let design = PointDesign(kind: kind, count: 50)
    let first = design.choose(from: candidates, variables: variables, seed: 11)
    #expect(first.count == 50 && Set(first).count == 50 && first == first.sorted())
    #expect(design.choose(from: candidates, variables: variables, seed: 11) == first)
    #expect(design.choose(from: candidates, variables: variables, seed: 12) != first)
  }

  /// WSP spreads its points: the closest two are clearly further apart than random sampling's
  /// (over four seeds each, the worst WSP against the best random).
  @Test func spaceFillingSpreadsThePointsFurtherThanRandom() {
    let wsp = (1...4).map { smallestDistance(PointDesign(kind: .wsp, count: 50).choose(from: candidates, variables: variables, seed: UInt64($0))) }
    let random = (1...4).map { smallestDistance(PointDesign(kind: .random, count: 50).choose(from: candidates, variables: variables, seed: UInt64($0))) }
    #expect(wsp.min()! > 1.5 * random.max()!, "wsp \(wsp), random \(random)")
  }

  /// A Latin hypercube covers each variable's range: every value of a 4-valued variable is used.
  @Test func latinHypercubeCoversEachRange() {
    let chosen = PointDesign(kind: .lhs, count: 40).choose(from: candidates, variables: variables, seed: 5)
    for column in variables.indices {
      let used = Set(chosen.map { ValueKey(candidates[$0][column]) })
      #expect(used.count == variables[column].values.count, "x\(column)")
    }
  }

  /// Each of the n strata once per variable, always: with n = 10 points and a variable of 10
  /// values, each value exactly once; with a variable of 4 values, each 2 or 3 times (never an
  /// end value at half the share of the others), over many seeds.
  @Test func latinHypercubeUsesEachStratumOncePerVariable() {
    let variables = [Variable(name: "a", values: (1...10).map { .integer(Int64($0)) }),
                     Variable(name: "b", values: (1...4).map { .integer(Int64($0)) }),
                     Variable(name: "c", values: (1...20).map { .integer(Int64($0)) })]
    let candidates = RunPlan.product(of: variables)
    for seed in 1...50 {
      let chosen = PointDesign(kind: .lhs, count: 10).choose(from: candidates, variables: variables, seed: UInt64(seed))
      #expect(chosen.count == 10)
      var counts = variables.map { [Int](repeating: 0, count: $0.values.count) }
      for point in chosen {
        for column in variables.indices {
          let index = Int(candidates[point][column].intValue ?? 0) - 1
          counts[column][index] += 1
        }
      }
      #expect(counts[0].allSatisfy { $0 == 1 }, "seed \(seed): values of a used \(counts[0])")
      #expect(counts[1].allSatisfy { $0 == 2 || $0 == 3 }, "seed \(seed): values of b used \(counts[1])")
      // 20 values in 10 strata of two: one value of each stratum.
      #expect((0..<10).allSatisfy { counts[2][2 * $0] + counts[2][2 * $0 + 1] == 1 }, "seed \(seed): c \(counts[2])")
    }
  }

  @Test func askingForMoreThanThereAreTakesAll() {
    #expect(PointDesign(kind: .wsp, count: 5000).choose(from: candidates, variables: variables, seed: 1).count == candidates.count)
  }
}
