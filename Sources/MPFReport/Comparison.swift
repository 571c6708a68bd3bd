package import MPFCore
package import MPFResults
package import MPFGraphs
package import MPFSystem
package import MPFText

/// `mpf compare A B`: for each point both experiments measured, the mean of each, their ratio,
/// and whether the difference is significant (Welch's t-test at 95%); the points only one side
/// has are listed. Used as a gate with `--fail-if-worse PCT`.
package struct Comparison {
  /// Which way is better for a result.
  package enum Direction: String, Sendable {
    case higher, lower, unknown

    /// From the unit: rates (`bits/s`, `ops/s`) are better higher, times (`s`) lower; an amount
    /// of bits or bytes with no time (`Kbits`, `Mbits`: what iperf's rates become when `/sec`
    /// is cut off, as the original mpf's own example does) is taken as a rate.
    package static func of(unit: String?) -> Direction {
      guard let unit, !unit.isEmpty else { return .unknown }
      if unit.hasSuffix("/s") || unit == "Hz" || unit == "bits" || unit == "bytes" { return .higher }
      if unit == "s" { return .lower }
      return .unknown
    }

    /// From the result's name, for a unit that says nothing: a word of it (`goodput`,
    /// `tx_rate`, `p99_latency`, `rxGoodput`) that is a rate is better higher, a time or a loss
    /// lower. A loss is looked for first: `loss_rate` and `error_rate` are better lower.
    package static func of(name: String) -> Direction {
      let words = Self.words(of: name)
      if words.contains(where: lowerWords.contains) { return .lower }
      if words.contains(where: higherWords.contains) { return .higher }
      return .unknown
    }

    /// `rxGoodput_p99` → [rx, goodput, p], `HTTPLatency` → [http, latency]: lower-case words,
    /// split at what is not a letter, where a lower-case letter is followed by an upper-case
    /// one, and before the last capital of a run that a lower-case letter follows.
    static func words(of name: String) -> [String] {
      let letters = Array(name)
      var words: [String] = []
      var current = ""
      for (index, c) in letters.enumerated() {
        let previous = index > 0 ? letters[index - 1] : " "
        let next = index + 1 < letters.count ? letters[index + 1] : " "
        let startsWord = c.isUppercase && (previous.isLowercase || (previous.isUppercase && next.isLowercase))
        if !c.isLetter || startsWord {
          if !current.isEmpty { words.append(current) }
          current = ""
        }
        if c.isLetter { current += c.lowercased() }
      }
      if !current.isEmpty { words.append(current) }
      return words
    }

    static let higherWords: Set<String> = [
      "goodput", "throughput", "rate", "bitrate", "bandwidth", "bw", "tput", "iops", "ops", "qps", "rps", "tps", "speed", "hits",
    ]
    static let lowerWords: Set<String> = [
      "latency", "lat", "rtt", "loss", "lost", "drops", "time", "runtime", "walltime", "duration", "delay", "jitter", "misses", "error", "errors", "retransmits",
    ]
  }

  package struct Sample: Sendable {
    package var values: [Double]
    package init(values: [Double]) { self.values = values }
    package var mean: Double { Aggregate.mean(values) }
    /// Half-width of the mean's 95% confidence interval (nil under two values).
    package var half: Double? { Aggregate.confidence95(values, mean: mean) }
    var variance: Double { values.count > 1 ? pow(Aggregate.standardDeviation(values, mean: mean), 2) : 0 }
  }

  package struct Point: Sendable {
    /// The point's variables' values as text (`64 · zerocopy`), in `variables` order.
    package var name: String
    package var a: Sample
    package var b: Sample
    package init(name: String, a: Sample, b: Sample) { (self.name, self.a, self.b) = (name, a, b) }
    /// B's mean over A's (nil when A's is zero).
    package var ratio: Double? { a.mean == 0 ? nil : b.mean / a.mean }
    /// How far B's mean moved from A's, in percent of A's size (nil when A's is zero: no
    /// percentage of 0 measures a change); of A's size, so that a negative mean that rises
    /// (-10 to -5) is +50%.
    package var change: Double? { a.mean == 0 ? nil : (b.mean - a.mean) / abs(a.mean) * 100 }
    /// Whether the means differ at 95% (nil when a side has a single run: it cannot be told).
    package var significant: Bool? {
      guard a.values.count > 1, b.values.count > 1 else { return nil }
      let (va, vb) = (a.variance / Double(a.values.count), b.variance / Double(b.values.count))
      if va + vb == 0 { return a.mean != b.mean }
      let t = abs(b.mean - a.mean) / (va + vb).squareRoot()
      // Welch–Satterthwaite degrees of freedom.
      let degrees = pow(va + vb, 2) / (va * va / Double(a.values.count - 1) + vb * vb / Double(b.values.count - 1))
      return t > Aggregate.studentT95(degrees: NumberBounds.clampedInt(degrees, to: 1...Int.max, rounding: .down, nan: 1))
    }
  }

  package struct ResultComparison: Sendable {
    package var result: String
    package var unit: String?
    package var direction: Direction
    /// Whether `direction` comes from the result's name (the unit said nothing).
    package var inferredFromName = false
    package var points: [Point]
    package var onlyA: [String]
    package var onlyB: [String]
    /// Points both ran where a side has no finite value (all `inf`, NaN, failed runs): by side,
    /// `A`, `B` or `A or B`, in A's order.
    package var noFinite: [(point: String, side: String)] = []

    /// How much worse B is than A at `point`, in percent (negative: better), nil if it cannot say.
    /// From a mean of 0 any change is infinitely many percent: +inf when it goes the worse way
    /// (past any limit), -inf the better way; `said(_:)` puts it in words.
    package func worsening(_ point: Point) -> Double? {
      guard direction != .unknown else { return nil }
      guard let change = point.change else {
        let moved = point.b.mean - point.a.mean
        return moved == 0 ? 0 : (moved > 0) == (direction == .lower) ? .infinity : -.infinity
      }
      return direction == .lower ? change : -change
    }

    /// What `verdict` found at `point`, for a message: `is 20% worse`, or from a mean of 0,
    /// which no percentage measures, `went from 0 s to 10 ms: worse`. Nil without a verdict.
    package func said(_ point: Point) -> String? {
      guard let verdict = verdict(point), let by = worsening(point) else { return nil }
      guard by.isFinite else {
        return "went from \(Comparison.amount(point.a.mean, unit: unit)) to \(Comparison.amount(point.b.mean, unit: unit)): \(verdict.rawValue)"
      }
      return "is \(NumberText.formatNumber(abs(by), digits: 3))% \(verdict.rawValue)"
    }

    /// What the comparison says of `point`: worse or better when the difference is significant
    /// (or cannot be told: a single run) and at least 0.05%; nil otherwise. The table's last
    /// column and `mpf replay --fail-if-worse` both read it.
    package func verdict(_ point: Point) -> Verdict? {
      guard point.significant != false, let worse = worsening(point), abs(worse) >= 0.05 else { return nil }
      return worse > 0 ? .worse : .better
    }
  }

  package enum Verdict: String, Sendable {
    case worse, better
  }

  package var a: StoredExperiment
  package var b: StoredExperiment
  package var results: [ResultComparison]
  /// The variables left out of the points' names.
  package var ignoring: Set<String> = []
  /// The results left out, each with why (`speed: not compared: its unit is s in A, bits/s in B`).
  package var notCompared: [String] = []

  /// - Parameters:
  ///   - on: the result to compare (default: every numeric result both have).
  ///   - direction: which way is better, overriding what the unit says.
  ///   - ignoring: variables left out of the points' names, so that points differing only in
  ///     them match (mpf bisect: each probe's `version` is another commit).
  /// - Throws: `LuaRaise` when the result is not in both experiments.
  package init(_ a: StoredExperiment, _ b: StoredExperiment, on: String? = nil, direction: Direction? = nil, ignoring: Set<String> = []) throws {
    (self.a, self.b, self.ignoring) = (a, b, ignoring)
    let (tableA, tableB) = (a.dataFrame.table, b.dataFrame.table)
    let inB = Set(FigureBuilder.numericResults(of: tableB))
    let common = FigureBuilder.numericResults(of: tableA).filter(inB.contains)
    let names: [String]
    if let on {
      guard common.contains(on) else {
        throw LuaRaise("compare: '\(on)' is not a numeric result of both experiments (both have: \(common.isEmpty ? "none" : common.joined(separator: ", ")))")
      }
      names = [on]
    } else {
      guard !common.isEmpty else { throw LuaRaise("compare: the two experiments share no numeric result") }
      names = common
    }
    notCompared = names.compactMap { Comparison.unitsDiffer(a, b, $0) }
    results = names.filter { Comparison.unitsDiffer(a, b, $0) == nil }.map { name in
      let samplesA = Comparison.samples(a, name, ignoring: ignoring), samplesB = Comparison.samples(b, name, ignoring: ignoring)
      let unit = tableA.column(named: name)?.unit
      let matched = Comparison.matched(samplesA, samplesB)
      var points: [Point] = []
      for (key, valuesA) in samplesA.order.map({ ($0, samplesA.values[$0]!) }) {
        guard let valuesB = samplesB.values[key] else { continue }
        points.append(Point(name: key, a: Sample(values: valuesA), b: Sample(values: valuesB)))
      }
      // The unit first; a silent unit leaves it to the name, and the text says so.
      let fromUnit = Direction.of(unit: unit)
      let fromName = fromUnit == .unknown && direction == nil ? Direction.of(name: name) : .unknown
      return ResultComparison(
        result: name, unit: unit, direction: direction ?? (fromUnit != .unknown ? fromUnit : fromName), inferredFromName: fromName != .unknown,
        points: points,
        onlyA: matched.onlyA, onlyB: matched.onlyB, noFinite: matched.noFinite)
    }
  }

  /// Why `result` cannot be compared when its values are not all in one unit, the same in both:
  /// 10 s and 20 bits/s are no change of 100%. Nil when they are.
  static func unitsDiffer(_ a: StoredExperiment, _ b: StoredExperiment, _ result: String) -> String? {
    let (unitsA, unitsB) = (a.dataFrame.units(of: result) ?? [], b.dataFrame.units(of: result) ?? [])
    guard unitsA != unitsB || unitsA.count > 1 else { return nil }
    func said(_ units: Set<String>) -> String {
      let named = units.sorted().map { $0.isEmpty ? "none" : $0 }
      return named.count > 1 ? "mixed (\(named.joined(separator: ", ")))" : named.first ?? "none"
    }
    return "\(result): not compared: its unit is \(said(unitsA)) in A, \(said(unitsB)) in B"
  }

  /// Why a `--fail-if-worse` gate could judge nothing (nil when some point of some result was
  /// compared): no result with one unit in both, or no point with a finite value in both.
  package var nothingJudged: String? {
    guard !results.contains(where: { !$0.points.isEmpty }) else { return nil }
    return results.isEmpty && !notCompared.isEmpty ? "no result is in the same unit in both" : "no point has a finite result in both"
  }

  /// The values of `result` in the runs that ended ok, by point (its variables as text), and
  /// every point that ran (`seen`), with a finite value or not.
  package static func samples(_ experiment: StoredExperiment, _ result: String, ignoring: Set<String>)
    -> Samples
  {
    var (order, seen): ([String], [String]) = ([], [])
    var values: [String: [Double]] = [:]
    var known: Set<String> = []
    let variables = experiment.variables
    let shown = variables.indices.filter { !ignoring.contains(variables[$0].name) }
    for row in experiment.dataFrame.rows {
      let name = shown.isEmpty ? "(single point)" : shown.map { variables[$0].label(of: row.values[$0]) }.joined(separator: " · ")
      if known.insert(name).inserted { seen.append(name) }
      // NaN and ±inf say nothing a mean or a test can use.
      guard row.status == .ok, let value = row.results[result]?.luaValue.doubleValue, value.isFinite else { continue }
      if values[name] == nil { order.append(name) }
      values[name, default: []].append(value)
    }
    return (order, values, seen)
  }

  /// The points of `result` in an experiment: the values of the runs that ended ok by point
  /// (its variables as text) in the order they came, and every point that ran.
  package typealias Samples = (order: [String], values: [String: [Double]], seen: [String])

  /// Which points only one side ran, and which both ran where a side has no finite value (all
  /// `inf`: not "only in B" when A ran it).
  static func matched(_ a: Samples, _ b: Samples) -> (onlyA: [String], onlyB: [String], noFinite: [(point: String, side: String)]) {
    let (inA, inB) = (a.seen, b.seen)
    let (setA, setB) = (Set(inA), Set(inB))
    let noFinite = inA.filter { setB.contains($0) && (a.values[$0] == nil || b.values[$0] == nil) }.map { point in
      (point, a.values[point] == nil && b.values[point] == nil ? "A or B" : a.values[point] == nil ? "A" : "B")
    }
    return (inA.filter { !setB.contains($0) }, inB.filter { !setA.contains($0) }, noFinite)
  }

  /// The points worse by more than `percent` (and significantly so, when that can be told).
  /// The table's own verdict (`verdict`), past the limit: what `mpf compare --fail-if-worse PCT`
  /// and `mpf replay --fail-if-worse` (PCT 0) gate on.
  package func worse(than percent: Double) -> [(result: String, point: Point, by: Double)] {
    results.flatMap { result in
      result.points.compactMap { point -> (String, Point, Double)? in
        guard result.verdict(point) == .worse, let by = result.worsening(point), by > percent else { return nil }
        return (result.result, point, by)
      }
    }
  }

  /// A mean with its unit's prefix (`10 ms`), or the bare number for a result without a unit.
  package static func amount(_ value: Double, unit: String?) -> String {
    guard let unit, !unit.isEmpty else { return NumberText.formatNumber(value, digits: 4) }
    return DataFrame.formatWithPrefix(value, unit: unit)
  }

  /// What a point's name is made of (`size · mode`).
  package var pointName: String {
    let shown = a.variables.map(\.name).filter { !ignoring.contains($0) }
    return shown.isEmpty ? "point" : shown.joined(separator: " · ")
  }

  /// The comparison as text tables, one per result, after the results left out.
  package func text(nameA: String, nameB: String) -> String {
    var out = notCompared.isEmpty ? "" : notCompared.joined(separator: "\n") + "\n\n"
    for result in results {
      let scale = AxisScale(values: result.points.flatMap { [$0.a.mean, $0.b.mean] }, unit: result.unit, log: false, fromZero: false)
      let better = result.direction == .unknown
        ? "" : ", \(result.direction.rawValue) is better\(result.inferredFromName ? " (said by its name, the unit does not)" : "")"
      out += "\(scale.label(result.result))\(better): A = \(nameA), B = \(nameB)\n"
      var rows = [[pointName, "A", "B", "B/A", "change", "significant"]]
      for point in result.points {
        func cell(_ sample: Sample) -> String {
          NumberText.formatNumber(sample.mean / scale.factor, digits: 4) + (sample.half.map { " ± " + NumberText.formatNumber($0 / scale.factor, digits: 2) } ?? "")
        }
        // From a mean of 0 no percentage measures the change: it is said in words.
        let fromZero = point.a.mean == 0 && point.b.mean != 0 ? "from 0 to " + NumberText.formatNumber(point.b.mean / scale.factor, digits: 4) : "-"
        let change = point.change.map { ($0 >= 0 ? "+" : "") + NumberText.formatNumber($0, digits: 3) + "%" } ?? fromZero
        let significant = point.significant.map { $0 ? "yes" : "no" } ?? "n/a (1 run)"
        var verdict = significant
        if let said = result.verdict(point) { verdict += ", " + said.rawValue }
        rows.append([point.name, cell(point.a), cell(point.b), point.ratio.map { NumberText.formatNumber($0, digits: 4) } ?? "-", change, verdict])
      }
      let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
      for row in rows {
        out += row.indices.map { column in
          column == 0 || column == 5 ? row[column].padded(to: widths[column]) : row[column].padded(to: widths[column], alignRight: true)
        }.joined(separator: "  ").trimmedEnd() + "\n"
      }
      for name in result.onlyA { out += "only in A: \(name)\n" }
      for name in result.onlyB { out += "only in B: \(name)\n" }
      for (name, side) in result.noFinite { out += "no finite value in \(side): \(name)\n" }
      out += "\n"
    }
    return out
  }

  /// A bar graph per result: each shared point, A and B side by side with their 95% CIs.
  package func figures(nameA: String, nameB: String) -> [(result: String, figure: Figure)] {
    results.map { result in
      var panel = Figure.Panel(title: nil)
      for (index, point) in result.points.enumerated() {
        for (series, sample) in [point.a, point.b].enumerated() {
          var mark = Figure.Mark(series: series, x: Double(index), y: sample.mean)
          if let half = sample.half { (mark.low, mark.high) = (sample.mean - half, sample.mean + half) }
          mark.count = sample.values.count
          panel.marks.append(mark)
        }
      }
      var x = Figure.Axis(name: pointName, categories: result.points.map(\.name))
      x.log = false
      var figure = Figure(
        kind: .bar, title: "\(result.result): \(nameA) vs \(nameB)", x: x, y: Figure.Axis(name: result.result, unit: result.unit),
        series: [nameA, nameB], panels: [panel])
      figure.legendTitle = "experiment"
      figure.subtitle = "mean and 95% confidence interval of each point both measured"
      return (result.result, figure)
    }
  }
}

