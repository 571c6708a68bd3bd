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

  @Test func askingForMoreThanThereAreTakesAll() {
    #expect(PointDesign(kind: .wsp, count: 5000).choose(from: candidates, variables: variables, seed: 1).count == candidates.count)
  }
}
