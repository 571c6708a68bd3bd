internal import MPFCore
internal import MPFResults
internal import MPFGraphs
import MPFText
import MPFSystem
internal import MPFYAML

/// The parts of report.html beyond the facts and the graphs: the explorer and its data, the
/// variance ranking, the design, the long per-machine table, and the page's one script.
extension ReportPage {
  /// The explorer's script (Sources/MPFReport/Assets/report.js), as embedded at build time.
  static let script = String(decoding: PackageResources.report_js, as: UTF8.self)

  /// The script's hash as the Content-Security-Policy names it: the one script the page may run.
  static let scriptHash = "sha256-" + Base64.encode(SHA256.digest(Array(script.utf8)))

  /// The style's hash: the page's one `<style>`, and no style attribute, applies.
  static let styleHash = "sha256-" + Base64.encode(SHA256.digest(Array(style.utf8)))

  /// How the points were chosen: the design, how many points of how many combinations.
  func designText() -> String {
    let points = stored.record["points"]
    let variables = stored.variables.map { "\($0.name) (\($0.values.count))" }.joined(separator: " × ")
    var text: String
    if let design = points?["design"]?.string {
      text = "\(design): \(points?["points"]?.string ?? "?") points sampled from \(points?["candidates"]?.string ?? "?") candidates, seed \(stored.seed)"
    } else if let chosen = points?["points"]?.string {
      text = "\(chosen) of the \(points?["combinations"]?.string ?? "?") combinations of \(variables)"
      let notApplicable = points?["not_applicable"]?.string ?? "0", excluded = points?["excluded"]?.string ?? "0"
      if notApplicable != "0" { text += "; \(notApplicable) left out by `when`" }
      if excluded != "0" { text += "; \(excluded) excluded" }
    } else {
      text = stored.variables.isEmpty ? "one point" : "full factorial: every combination of \(variables)"
    }
    let conditions = stored.variables.compactMap { variable in variable.condition.map { "\(variable.name) when \($0)" } }
    if !conditions.isEmpty { text += "; " + conditions.joined(separator: "; ") }
    return text + " × \(stored.runCount) repetition\(stored.runCount == 1 ? "" : "s")"
  }

  /// Choose x, y and series and redraw from the runs, which the page carries as JSON.
  func exploreSection(_ emit: (String) throws -> Void) rethrows {
    guard !results.isEmpty else { return }
    try emit("""
      <section id="explore">
      <h2>Explore</h2>
      <p>Choose what goes across, up and into series; the chart is drawn again from the runs in this page. \
      Hover a point to read it, click a legend entry to hide its series.</p>
      <div id="explorer">
      <label>x <select name="x"></select></label><label>y <select name="y"></select></label><label>series <select name="series"></select></label>
      <div class="explorer-legend"></div>
      <div class="explorer-chart"></div>
      <pre class="explorer-tip" hidden></pre>
      </div>
      <script type="application/json" id="mpf-runs">
      """)
    try ReportData.write(table, results: results, emit)
    try emit("</script>\n</section>\n")
  }

  /// Per result, the variables ranked by the share of its variance each explains (η²), with the
  /// F test of its main effect when points ran more than once.
  func statisticsSection() -> String {
    let ranked = results.map { ($0, VarianceShares.rank(table, result: $0)) }.filter { !$0.1.isEmpty }
    guard !ranked.isEmpty else { return "" }
    var out = "<section id=\"statistics\">\n<h2>Statistics</h2>\n"
    out += "<p>For each result, the variables ranked by the share of its variance each one explains alone (η²: the variance of the means per value over the whole). "
      + "Where points ran more than once, F tests the variable's main effect against the variation between repetitions of a point "
      + "(on a full factorial, the ANOVA main effect); a small p says the differences are unlikely to be noise.</p>\n<div class=\"scroll\">\n"
    for (result, shares) in ranked {
      out += "<h3>\(html(result))</h3>\n<table class=\"shares\">\n<tr><th>variable</th><th>share of variance (η²)</th><th>values</th><th>F</th><th>p</th></tr>\n"
      for share in shares {
        let percent = NumberBounds.clampedInt(share.etaSquared * 100, to: 0...100, nan: 0)
        out += "<tr><td>\(html(share.variable))</td><td><span class=\"share w\((percent + 1) / 2)\"></span>\(html(percentText(share.etaSquared)))</td>"
        out += "<td class=\"number\">\(share.levels)</td><td class=\"number\">\(share.f.map { html(NumberText.formatNumber($0, digits: 3)) } ?? "—")</td>"
        out += "<td class=\"number\">\(share.p.map { html(pText($0)) } ?? "—")</td></tr>\n"
      }
      out += "</table>\n"
    }
    return out + "</div>\n</section>\n"
  }

  /// A share as a percentage, tiny ones as `< 0.1%`.
  func percentText(_ share: Double) -> String {
    share * 100 < 0.1 ? "< 0.1%" : NumberText.formatNumber(share * 100, digits: 3) + "%"
  }

  /// A p-value as a reader wants it: small ones as `< 0.001`.
  func pText(_ p: Double) -> String { p < 0.001 ? "< 0.001" : NumberText.formatNumber(p, digits: 2) }

  /// Results measured on each machine of a role (`name@worker` columns), one row per point
  /// and machine: the long form beside the wide table above.
  func perMachineSection() -> String {
    let split = results.compactMap { name -> (base: String, machine: String, column: String)? in
      guard let at = name.lastIndex(of: "@"), at != name.startIndex else { return nil }
      return (String(name[..<at]), String(name[name.index(after: at)...]), name)
    }
    guard !split.isEmpty else { return "" }
    let bases = split.map(\.base).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    let machines = split.map(\.machine).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    var long = table
    long.columns = table.columns.filter { $0.isVariable }
    var machineColumn: [LuaValue] = []
    var gathered: [Int] = []
    for machine in machines {
      for row in 0..<table.rowCount { gathered.append(row); machineColumn.append(.string(machine)) }
    }
    long = long.rows(gathered)
    long.columns.append(Table.Column(name: "machine", values: machineColumn, isVariable: true))
    for base in bases {
      var values: [LuaValue] = []
      for machine in machines {
        let column = table.column(named: "\(base)@\(machine)")
        for row in 0..<table.rowCount { values.append(column?.values[row] ?? .nil) }
      }
      long.columns.append(Table.Column(name: base, values: values, unit: split.first { $0.base == base }.flatMap { table.column(named: $0.column)?.unit }))
    }
    if let status = table.column(named: "status") {
      long.columns.append(Table.Column(name: "status", values: ValueColumn(machines.flatMap { _ in Array(status.values) })))
    }
    let page = ReportPage(stored, table: long)
    return "<h3>Per machine</h3>\n<p>The results each machine measured, one row per point and machine (long form).</p>\n"
      + "<input class=\"table-filter\" type=\"search\" data-table=\"machines-table\" placeholder=\"Filter rows (words, all must match)\">\n"
      + "<div class=\"scroll\">" + page.aggregatedTable(id: "machines-table") + "</div>\n"
  }
}
