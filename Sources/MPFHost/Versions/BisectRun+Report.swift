internal import MPFCore
internal import MPFGraphs
package import MPFReport
package import MPFCluster
internal import MPFSystem
internal import MPFText

/// What `mpf bisect` says: each probe as it ends, how the ends differ, the table of probes, the
/// outcome, and the graph of the probes against the commits.
extension BisectRun {
  /// How the result moved between the ends, and whether that is worse (`--higher-is-better`,
  /// `--lower-is-better`, else the unit, else the result's name, as mpf compare judges).
  func change() -> String {
    let (moved, higher) = ProbeJudge.moved(options.result, unit: unit, at: points)
    let fromUnit = Comparison.Direction.of(unit: unit)
    let direction = options.direction ?? (fromUnit != .unknown ? fromUnit : Comparison.Direction.of(name: options.result))
    let said = options.direction != nil ? "as you said" : fromUnit != .unknown ? "by its unit" : "by its name"
    switch direction {
    case .unknown:
      return "  \(moved); whether that is worse is not known (--higher-is-better or --lower-is-better says)"
    case .higher, .lower:
      let worse = (direction == .higher) != higher
      return "  \(moved): \(worse ? "a regression" : "an improvement") (\(direction.rawValue) is better, \(said))"
        + (worse ? "" : "; mpf bisect finds the commit that made it")
    }
  }

  func firstLine(_ text: String) -> String { text.lines().first ?? text }

  /// `probe 3: 1a2b3c4d5e good  goodput 9.41 ± 0.02 Gbits/s (n=3)  subject`.
  func line(_ number: Int, _ probe: Probe) -> String {
    var text = "probe \(number): \(probe.commit.hash.prefix(10)) \(probe.verdict.rawValue.padded(to: 7)) \(measured(probe))"
    if probe.reused { text += " (stored)" }
    text += "  " + TerminalText.escaped(String(probe.commit.subject.prefix(60)))
    if let note = probe.note { text += "\n  " + TerminalText.escaped(note) }
    return text
  }

  /// The probe's mean and its 95% interval in the result's unit.
  func measured(_ probe: Probe) -> String {
    guard !probe.values.isEmpty else { return "-" }
    let sample = Comparison.Sample(values: probe.values)
    let scale = AxisScale(values: [sample.mean], unit: unit, log: false, fromZero: false)
    let unitText = scale.unitText.isEmpty ? "" : " " + scale.unitText
    // An interval over several points would mix them: only the mean of all is shown then.
    let half = probe.points == 1 ? sample.half.map { " ± " + NumberText.formatNumber($0 / scale.factor, digits: 2) } ?? "" : ""
    return NumberText.formatNumber(sample.mean / scale.factor, digits: 4) + half + unitText
      + " (n=\(probe.values.count)\(probe.points == 1 ? "" : ", \(probe.points) points"))"
  }

  /// The probes against the commits, in history order, coloured by verdict; written beside the
  /// probes' experiments as `bisect-GOOD-BAD/RESULT-by-commit.svg` (with its CSV and redraw script).
  func drawn(_ report: Report) throws -> String? {
    let index = Dictionary(uniqueKeysWithValues: report.commits.enumerated().map { ($1.hash, $0) })
    let measured = report.probes.filter { !$0.values.isEmpty }.sorted { index[$0.commit.hash]! < index[$1.commit.hash]! }
    guard measured.count >= 2, let first = report.commits.first, let last = report.commits.last else { return nil }
    var panel = Figure.Panel(title: nil)
    for (position, probe) in measured.enumerated() {
      let sample = Comparison.Sample(values: probe.values)
      var mark = Figure.Mark(series: probe.verdict == .bad ? 1 : 0, x: Double(position), y: sample.mean)
      if probe.points == 1, let half = sample.half { (mark.low, mark.high) = (sample.mean - half, sample.mean + half) }
      mark.count = probe.values.count
      panel.marks.append(mark)
    }
    var x = Figure.Axis(name: "commit (its place in the first-parent history)", categories: measured.map { "#\(index[$0.commit.hash]! + 1) \($0.commit.hash.prefix(8))" })
    x.log = false
    var figure = Figure(
      kind: .line, title: "\(options.result) by commit: \(first.hash.prefix(8))..\(last.hash.prefix(8))", x: x,
      y: Figure.Axis(name: options.result, unit: unit), series: ["like the good end", "like the bad end"], panels: [panel])
    figure.legendTitle = "verdict"
    let found: String
    switch report.outcome {
    case .found(let hash): found = "first bad commit \(hash.prefix(8)) (\(String((report.commits.first { $0.hash == hash }?.subject ?? "").prefix(40))))"
    case .oneOf(let hashes): found = "first bad commit one of \(hashes.map { String($0.prefix(8)) }.joined(separator: ", "))"
    case .endsDoNotDiffer: found = "the ends do not differ"
    case .searching: found = "search not ended"
    }
    let points = measured.map(\.points).max() ?? 1
    figure.subtitle = found + (points == 1 ? "; mean and 95% CI of each probe" : "; each probe's mean over its \(points) points")
    // Below --out, no link followed: a planted one is refused, never written through.
    let folder = try Directory.open(options.run.outputParent, creating: true).subdirectory("bisect-\(first.hash.prefix(8))-\(last.hash.prefix(8))")
    return try FigureFiles.write(figure, in: folder, name: "\(options.result)-by-commit")
  }

  /// One line saying how the search ended.
  package func outcomeText(_ outcome: Bisection.Outcome, commits: [GitMirror.Commit]) -> String {
    func named(_ hash: String) -> String {
      let subject = commits.first { $0.hash == hash }?.subject ?? ""
      return "\(hash) \(TerminalText.escaped(String(subject.prefix(72))))"
    }
    switch outcome {
    case .found(let hash): return "first bad commit: " + named(hash)
    case .oneOf(let hashes): return "the first bad commit is one of (the others did not build): " + hashes.map { String($0.prefix(10)) }.joined(separator: ", ")
    case .endsDoNotDiffer: return "the good and bad ends do not differ significantly on \(options.result): nothing to bisect"
    case .searching: return "the search did not end"
    }
  }

  /// The probes in history order, as a text table.
  package func table(_ report: Report) -> String {
    let index = Dictionary(uniqueKeysWithValues: report.commits.enumerated().map { ($1.hash, $0) })
    var rows = [["#", "commit", "verdict", options.result, "experiment", "subject"]]
    for probe in report.probes.sorted(by: { index[$0.commit.hash]! < index[$1.commit.hash]! }) {
      rows.append([
        String(index[probe.commit.hash]! + 1), String(probe.commit.hash.prefix(10)), probe.verdict.rawValue, measured(probe),
        probe.directory.map(FileSystem.basename) ?? "-", TerminalText.escaped(String(probe.commit.subject.prefix(50))),
      ])
    }
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.indices.map { row[$0].padded(to: widths[$0], alignRight: $0 == 0) }.joined(separator: "  ").trimmedEnd()
    }.joined(separator: "\n") + "\n"
  }
}
