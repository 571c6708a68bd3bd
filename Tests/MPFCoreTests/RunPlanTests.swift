import Testing
import MPFCore


@Suite struct RunPlanTests {
  let variables = [
    Variable(name: "parallel", values: [1, 2, 3, 4]),
    Variable(name: "zerocopy", values: ["", "-Z"], labels: ["disabled", "enabled"]),
  ]

  @Test func runsAreTheProductTimesRepetitions() {
    let plan = RunPlan(variables: variables, runCount: 3, seed: 1)
    #expect(plan.runs.count == 4 * 2 * 3)
    #expect(plan.runs.map(\.index) == Array(0..<24))
    var seen: [[LuaValue]: Int] = [:]
    for run in plan.runs { seen[run.values, default: 0] += 1 }
    #expect(seen.count == 8)
    #expect(seen.values.allSatisfy { $0 == 3 })
    #expect(Set(plan.runs.map { [LuaValue.integer(Int64($0.repetition))] + $0.values }).count == 24)
  }

  /// The points of every combination, first variable slowest, whatever the shape: one variable
  /// of many values (its column is its list), beside variables of one value, or several.
  @Test func thePointTableHoldsEveryCombinationInOrder() {
    let shapes: [[Variable]] = [
      [Variable(name: "i", values: (1...5).map { .integer(Int64($0)) })],
      [Variable(name: "a", values: ["x"]), Variable(name: "i", values: [3, 1, 2]), Variable(name: "b", values: [true])],
      [Variable(name: "a", values: [1, 2]), Variable(name: "b", values: ["p", "q", "r"])],
      [Variable(name: "a", values: [1, 2]), Variable(name: "none", values: [])],
    ]
    for variables in shapes {
      let table = RunList.PointTable(product: variables)
      let expected = RunPlan.product(of: variables)
      #expect(table.count == expected.count)
      #expect((0..<table.count).map(table.values) == expected, "\(variables.map(\.name))")
    }
  }

  /// One label read alone is the one in the list of every label, however they were given (a
  /// stored file may give more or fewer labels than values).
  @Test func aLabelReadAloneIsTheListsLabel() {
    let cases = [
      Variable(name: "i", values: [1, 2.5, "x", true]),
      Variable(name: "z", values: ["", "-Z"], labels: ["disabled", "enabled"]),
      Variable(name: "few", values: [1, 2, 3], labels: ["one", "two"]),
      Variable(name: "more", values: [1], labels: ["one", "uno"]),
    ]
    for variable in cases {
      #expect(variable.labelCount == variable.labels.count)
      #expect((0..<variable.labelCount).map(variable.label(at:)) == variable.labels, "\(variable.name)")
    }
  }

  @Test func theSameSeedGivesTheSameOrder() {
    let a = RunPlan(variables: variables, runCount: 3, seed: 42)
    let b = RunPlan(variables: variables, runCount: 3, seed: 42)
    let c = RunPlan(variables: variables, runCount: 3, seed: 43)
    #expect(a.runs == b.runs)
    #expect(a.runs != c.runs)
  }

  @Test func generatorMatchesSplitMix64ReferenceOutputs() {
    // First outputs of the reference splitmix64.c for seed 1234567.
    var generator = SeededGenerator(seed: 1_234_567)
    #expect((0..<5).map { _ in generator.next() } == [
      6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
      4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
    ])
  }

  @Test func theOrderForASeedIsFixedForever() {
    // The run order is recomputed from the stored seed on resume: it must never change.
    // Recorded once from this implementation (Fisher-Yates over SplitMix64, Lemire bounds).
    let plan = RunPlan(variables: [Variable(name: "x", values: [1, 2, 3, 4, 5])], runCount: 1, seed: 7)
    #expect(plan.runs.map(\.values) == [[4], [5], [3], [1], [2]])
  }

  @Test func noVariablesMeansOnePoint() {
    let plan = RunPlan(variables: [], runCount: 4, seed: 1)
    #expect(plan.runs.count == 4)
    #expect(plan.runs.allSatisfy { $0.values.isEmpty })
  }

  @Test func labelsFollowValues() {
    #expect(variables[1].label(of: "-Z") == "enabled")
    #expect(variables[0].label(of: 3) == "3")
    #expect(variables[1].label(of: "other") == "other")
  }

  @Test func stagesGroupParallelFunctionsWithTheNextOne() {
    let at = SourceLocation(file: "s.lua", line: 1)
    let experiment = Experiment(
      scriptPath: "s.lua", scriptSource: "", variables: [],
      functions: [
        RoleFunction(index: 1, role: "server", parallel: true, location: at),
        RoleFunction(index: 2, role: "client", location: at),
        RoleFunction(index: 3, kind: .once, role: "server", location: at),
        RoleFunction(index: 4, role: "client", location: at),
        RoleFunction(index: 5, role: "probe", parallel: true, location: at),
      ], seed: 1)
    #expect(experiment.stages.map { $0.map(\.index) } == [[1, 2], [4], [5]])
    #expect(experiment.roles == ["server", "client", "probe"])
    #expect(experiment.initFunctions.map(\.index) == [3])
  }

  @Test func generatorIsUniformEnough() {
    var generator = SeededGenerator(seed: 3)
    var counts = [Int](repeating: 0, count: 6)
    for _ in 0..<60_000 { counts[generator.below(6)] += 1 }
    #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
  }
}
