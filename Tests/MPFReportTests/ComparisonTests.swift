import Testing
import MPFCore
import MPFResults
import MPFReport

/// `mpf compare`: means, ratios and Welch's t-test worked out by hand.
@Suite struct ComparisonTests {
  static func experiment(_ samples: [Int: [Double]], unit: String = "bits/s") -> StoredExperiment {
    // No unit: plain numbers (`inf` among them), as a run returns them.
    experiment(raw: samples.mapValues { $0.map { unit.isEmpty ? .number($0) : .string("\($0) \(unit)") } })
  }

  /// An experiment whose `rate` at x is each of the values the runs returned (`"10 s"`).
  static func experiment(raw samples: [Int: [LuaValue]]) -> StoredExperiment {
    var rows: [ResultRow] = []
    for (x, values) in samples.sorted(by: { $0.key < $1.key }) {
      for (repetition, value) in values.enumerated() {
        var row = ResultRow(index: rows.count, repetition: repetition, values: [.integer(Int64(x))])
        row.results["rate"] = ResultValue(raw: value)
        row.resultOrder = ["rate"]
        rows.append(row)
      }
    }
    let xs = samples.keys.sorted().map { LuaValue.integer(Int64($0)) }
    return StoredExperiment(
      directory: "/x", id: "x", scriptPath: "s.lua", scriptCopy: "s.lua", arguments: [], seed: 1, runCount: 3, started: 0,
      resumed: [], variables: [Variable(name: "x", values: xs)], rows: RunRecords(rows))
  }

  let a = experiment([1: [10, 12, 14], 2: [20, 20.5], 3: [5]])
  let b = experiment([1: [8, 9, 10], 2: [30, 30.5], 4: [7]])

  @Test func meansRatiosAndSignificance() throws {
    let comparison = try Comparison(a, b)
    let result = try #require(comparison.results.first)
    #expect(result.result == "rate")
    #expect(result.direction == .higher)
    #expect(result.points.map(\.name) == ["1", "2"])
    #expect(result.onlyA == ["3"])
    #expect(result.onlyB == ["4"])
    let (one, two) = (result.points[0], result.points[1])
    #expect(one.a.mean == 12)
    #expect(one.b.mean == 9)
    #expect(one.ratio == 0.75)
    // Welch: t = 3 / sqrt(4/3 + 1/3) = 2.32, ν = 2.94 → t(2) = 4.303: not significant.
    #expect(one.significant == false)
    #expect(result.worsening(one) == 25)
    // t = 10 / sqrt(0.0625 + 0.0625) = 28.3, ν = 2: significant, 49% better.
    #expect(two.significant == true)
    #expect(abs(result.worsening(two)! + 49.382716) < 1e-4)
    // 25% worse, but not significantly: not a failure of --fail-if-worse 5.
    #expect(comparison.worse(than: 5).isEmpty)
  }

  @Test func directionFollowsTheUnitUnlessTold() throws {
    #expect(Comparison.Direction.of(unit: "s") == .lower)
    #expect(Comparison.Direction.of(unit: "bits/s") == .higher)
    #expect(Comparison.Direction.of(unit: nil) == .unknown)
    let lower = try Comparison(a, b, direction: .lower)
    let worse = lower.worse(than: 5)
    #expect(worse.map(\.point.name) == ["2"])
    #expect(lower.text(nameA: "old", nameB: "new").contains("lower is better"))
  }

  @Test func singleRunsCannotBeTested() throws {
    let comparison = try Comparison(Self.experiment([1: [10]]), Self.experiment([1: [5]]))
    let point = try #require(comparison.results.first?.points.first)
    #expect(point.significant == nil)
    // It cannot be told, so a 50% loss counts.
    #expect(comparison.worse(than: 10).count == 1)
    #expect(comparison.text(nameA: "a", nameB: "b").contains("n/a (1 run)"))
  }

  /// From a mean of 0 no percentage measures a change: 0 s to 10 ms was `-`, not judged, and
  /// passed `--fail-if-worse`. A significant change away from 0 the worse way is worse than any
  /// limit, said in words.
  @Test func aChangeFromZeroIsJudgedAndSaidInWords() throws {
    let comparison = try Comparison(Self.experiment([1: [0, 0, 0]], unit: "s"), Self.experiment([1: [0.01, 0.01, 0.01]], unit: "s"))
    let result = try #require(comparison.results.first)
    let point = try #require(result.points.first)
    #expect(result.verdict(point) == .worse)
    #expect(result.worsening(point) == .infinity)
    #expect(comparison.worse(than: 1000).map(\.point.name) == ["1"], "no limit is over a change from 0")
    #expect(result.said(point) == "went from 0 s to 10 ms: worse")
    let text = comparison.text(nameA: "a", nameB: "b")
    #expect(text.contains("from 0 to 10") && text.contains("yes, worse") && !text.contains("0%"), "\(text)")
    // The better way, and no change at all.
    let better = try Comparison(Self.experiment([1: [0, 0, 0]]), Self.experiment([1: [5, 5, 5]]))
    #expect(better.results[0].verdict(better.results[0].points[0]) == .better && better.worse(than: 0).isEmpty)
    let same = try Comparison(Self.experiment([1: [0, 0, 0]]), Self.experiment([1: [0, 0, 0]]))
    #expect(same.results[0].verdict(same.results[0].points[0]) == nil && same.results[0].worsening(same.results[0].points[0]) == 0)
  }

  /// The change is in percent of A's size: a negative mean that rises (-10 to -5) went up 50%,
  /// worse when lower is better (B/A = 0.5 was read as 50% lower).
  @Test func aNegativeMeanThatRisesIsAChangeUp() throws {
    let comparison = try Comparison(Self.experiment([1: [-10, -10.1, -9.9]]), Self.experiment([1: [-5, -5.1, -4.9]]), direction: .lower)
    let result = try #require(comparison.results.first)
    let point = try #require(result.points.first)
    #expect(abs(point.change! - 50) < 1e-9)
    #expect(result.verdict(point) == .worse)
    #expect(comparison.text(nameA: "a", nameB: "b").contains("+50%"))
  }

  /// 10 s against 20 bits/s was "+100%, worse" (5 % against 20 bits/s "+300%, better"): a result
  /// whose unit differs between A and B, or within one, is named and not compared.
  @Test func aResultInAnotherUnitIsNotCompared() throws {
    for (unitA, unitB) in [("s", "bits/s"), ("%", "bits/s"), ("", "s")] {
      let comparison = try Comparison(Self.experiment([1: [10, 11]], unit: unitA), Self.experiment([1: [20, 21]], unit: unitB), direction: .lower)
      #expect(comparison.results.isEmpty && comparison.worse(than: 0).isEmpty)
      let said = "rate: not compared: its unit is \(unitA.isEmpty ? "none" : unitA) in A, \(unitB) in B"
      #expect(comparison.notCompared == [said])
      #expect(comparison.text(nameA: "a", nameB: "b").contains(said + "\n"))
      #expect(comparison.nothingJudged == "no result is in the same unit in both")
    }
    let mixed = try Comparison(Self.experiment(raw: [1: ["10 s", "20 bits/s"]]), Self.experiment(raw: [1: ["10 s", "20 bits/s"]]))
    #expect(mixed.notCompared == ["rate: not compared: its unit is mixed (bits/s, s) in A, mixed (bits/s, s) in B"])
    // Prefixes are one unit: 10 ms and 0.02 s are both in s.
    let prefixed = try Comparison(Self.experiment(raw: [1: ["10 ms", "11 ms"]]), Self.experiment(raw: [1: ["0.02 s", "0.021 s"]]))
    #expect(prefixed.notCompared.isEmpty && prefixed.results.first?.points.count == 1 && prefixed.nothingJudged == nil)
  }

  /// A point whose values are all `inf` on a side ran there: it is no "only in B".
  @Test func aPointWithNoFiniteValueIsNotOnlyInTheOther() throws {
    let comparison = try Comparison(Self.experiment([1: [.infinity, .infinity], 2: [1, 2], 3: [.nan]], unit: ""), Self.experiment([1: [1, 2], 2: [.infinity], 3: [.nan]], unit: ""))
    let result = try #require(comparison.results.first)
    #expect(result.onlyA.isEmpty && result.onlyB.isEmpty && result.points.isEmpty)
    #expect(result.noFinite.map { "\($0.side): \($0.point)" } == ["A: 1", "B: 2", "A or B: 3"])
    let text = comparison.text(nameA: "a", nameB: "b")
    #expect(text.contains("no finite value in A: 1\nno finite value in B: 2\nno finite value in A or B: 3\n") && !text.contains("only in"), "\(text)")
  }

  /// Three runs of 11 ms: their mean is an ulp off 0.011 s, and the interval was `± 5.3e-15`.
  @Test func identicalValuesHaveNoInterval() throws {
    let comparison = try Comparison(Self.experiment(raw: [1: ["11 ms", "11 ms", "11 ms"]]), Self.experiment(raw: [1: ["0.7 s", "0.7 s", "0.7 s"]]))
    let point = try #require(comparison.results.first?.points.first)
    #expect(point.a.half == 0 && point.b.half == 0)
    #expect(comparison.text(nameA: "a", nameB: "b").contains("1  11 ± 0  700 ± 0"), "\(comparison.text(nameA: "a", nameB: "b"))")
  }

  @Test func anUnknownResultIsAnError() {
    #expect(throws: LuaRaise.self) { try Comparison(a, b, on: "latency") }
  }
}

/// Which way is better, from the unit and, when it is silent, from the result's name.
@Suite struct DirectionTests {
  @Test func unitsSayFirst() {
    #expect(Comparison.Direction.of(unit: "bits/s") == .higher)
    #expect(Comparison.Direction.of(unit: "bits") == .higher, "iperf's Kbits without /sec are a rate")
    #expect(Comparison.Direction.of(unit: "bytes") == .higher)
    #expect(Comparison.Direction.of(unit: "s") == .lower)
    #expect(Comparison.Direction.of(unit: "%") == .unknown)
    #expect(Comparison.Direction.of(unit: nil) == .unknown)
  }

  @Test(arguments: [
    ("goodput", Comparison.Direction.higher), ("tx_rate", .higher), ("Throughput", .higher), ("bw", .higher),
    ("latency", .lower), ("p99_latency", .lower), ("rtt_avg", .lower), ("loss", .lower), ("duration", .lower),
    ("copies", .unknown), ("generation", .unknown), ("rated", .unknown),
    // A loss or an error counted as a rate is still better lower; camelCase names are split,
    // an acronym before a word too (HTTPLatency: one unknown word before).
    ("loss_rate", .lower), ("error_rate", .lower), ("packetLoss", .lower), ("rxGoodput", .higher), ("bitrate", .higher),
    ("HTTPLatency", .lower), ("TCPRetransmits", .lower),
    ("runtime", .lower), ("p99Latency", .lower),
  ])
  func namesSayWhenUnitsDoNot(name: String, direction: Comparison.Direction) {
    #expect(Comparison.Direction.of(name: name) == direction, "\(name)")
  }
}
