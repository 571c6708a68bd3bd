internal import MPFCore
package import MPFResults
internal import MPFYAML
package import MPFGraphs
package import MPFSystem
package import MPFText

/// report.html: one self-contained page about an experiment (no network request of any kind: the
/// graphs are inline SVG, the style and the one script are inline, and a Content-Security-Policy
/// forbids loading anything and allows that script by its hash only): what ran and where, its
/// variables and design, every graph, an explorer that redraws from the runs embedded in the
/// page, the variables ranked by the share of each result's variance they explain, the
/// aggregated results (wide, and long per machine), and the failed runs with their error and log.
package struct ReportPage {
  let stored: StoredExperiment
  let table: Table
  let figures: [(result: String, figure: Figure)]
  /// The numeric results, found once: every section reads them.
  let results: [String]

  package init(_ stored: StoredExperiment) {
    self.stored = stored
    table = stored.table
    results = FigureBuilder.numericResults(of: table)
    figures = FigureBuilder.automatic(table, name: ReportPage.name(of: stored), design: stored.record["points"]?["design"]?.string)
  }

  /// A page of `table` (another view of the experiment's runs), without graphs.
  init(_ stored: StoredExperiment, table: Table) {
    self.stored = stored
    self.table = table
    results = FigureBuilder.numericResults(of: table)
    figures = []
  }

  /// The experiment's name: its script's file name without `.lua`.
  package static func name(of stored: StoredExperiment) -> String {
    Experiment.name(ofScript: stored.scriptPath.isEmpty ? stored.directory : stored.scriptPath)
  }

  /// Writes DIR/graphs/* and DIR/report.html; returns the report's path.
  ///
  /// - Throws: `SystemError` when the directory cannot be written.
  @discardableResult
  package func write() throws -> String {
    let directory = try Directory.open(stored.directory)
    let graphs = try directory.subdirectory("graphs")
    for (result, figure) in figures { try FigureFiles.write(figure, in: graphs, name: result) }
    try directory.write("report.html", text: render)
    return FileSystem.join(stored.directory, "report.html")
  }

  /// The page, as one string (tests; `write` streams it to the file).
  package func html() -> String {
    var text = ""
    render { text += $0 }
    return text
  }

  /// The page in pieces, each passed to `emit` as it is made: the explorer's data of 100,000
  /// runs never sits in memory whole beside the rest of the page.
  func render(_ emit: (String) throws -> Void) rethrows {
    let failed = stored.rows.indices.filter { stored.rows.status(at: $0) != .ok }.map { stored.rows[$0] }
    try emit(header(failedCount: failed.count))
    try emit(experimentSection())
    try emit("<section id=\"graphs\">\n<h2>Graphs</h2>\n")
    if figures.isEmpty { try emit("<p>No numeric result to draw.</p>\n") }
    for index in figures.indices { try figureElement(index, emit) }
    try emit("</section>\n")
    try exploreSection(emit)
    try emit(statisticsSection())
    try emit(resultsSection())
    try emit(failuresSection(failed))
    try emit("<footer>Drawn by mpf \(html(MPFVersion.current)) from experiment.yaml; <code>mpf report \(html(stored.directory))</code> draws it again.</footer>\n")
    try emit("<script>\(ReportPage.script)</script>\n</body>\n</html>\n")
  }

  /// The head (policy, style) and the page's title, status and navigation.
  func header(failedCount: Int) -> String {
    let name = ReportPage.name(of: stored)
    let status = stored.status ?? (stored.isRunning ? "running" : "stopped (no end recorded)")
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '\(ReportPage.styleHash)'; img-src data:; script-src '\(ReportPage.scriptHash)'">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(html(name)) — mpf experiment \(html(stored.id))</title>
      <style>\(ReportPage.style)</style>
      </head>
      <body>
      <header>
      <h1>\(html(name))</h1>
      <p class="summary"><span class="status \(html(status.split(separator: " ").first.map(String.init) ?? ""))">\(html(status))</span>
       · \(stored.rows.count) of \(stored.plannedRuns.map(String.init) ?? "?") runs\(failedCount == 0 ? "" : " · <a href=\"#failures\">\(failedCount) failed</a>")
       · experiment \(html(stored.id))</p>
      </header>
      <nav><a href="#experiment">Experiment</a> <a href="#graphs">Graphs</a> <a href="#explore">Explore</a> <a href="#statistics">Statistics</a> <a href="#results">Results</a>\(failedCount == 0 ? "" : " <a href=\"#failures\">Failed runs</a>")</nav>

      """
  }

  /// What ran, and where: the facts, the roles, the machines, the variables.
  func experimentSection() -> String {
    var page = "<section id=\"experiment\">\n<h2>Experiment</h2>\n<table class=\"facts\">\n"
    for (key, value) in facts() { page += "<tr><th>\(html(key))</th><td>\(html(value))</td></tr>\n" }
    page += "</table>\n"
    page += rolesTable() + machinesTable() + variablesTable()
    page += "</section>\n"
    return page
  }

  /// What ran, and where.
  private func facts() -> [(String, String)] {
    let record = stored.record
    var facts: [(String, String)] = [
      ("script", stored.scriptPath),
      ("arguments", stored.arguments.isEmpty ? "none" : stored.arguments.joined(separator: " ")),
      ("seed", String(stored.seed)),
      ("repetitions", String(stored.runCount)),
      ("cluster", record["cluster"]?.string ?? "this machine"),
      ("started", record["started"]?.string ?? ""),
    ]
    if let resumed = record["resumed"]?.items, !resumed.isEmpty { facts.append(("resumed", resumed.compactMap(\.string).joined(separator: ", "))) }
    if let finished = record["finished"]?.string { facts.append(("finished", finished)) }
    if let reason = record["stop_reason"]?.string { facts.append(("stopped because", reason)) }
    facts.append(("design", designText()))
    if let git = record["script"]?["git"], let commit = git["commit"]?.string {
      facts.append(("git", commit + (git["dirty"]?.string == "true" ? " (with uncommitted changes)" : "")))
    }
    facts.append(("mpf", record["mpf_version"]?.string ?? ""))
    return facts
  }

  /// Each role's machine (and worker, namespace, CPU); empty when none was recorded.
  private func rolesTable() -> String {
    let roles = stored.record["roles"]?.items ?? []
    guard !roles.isEmpty else { return "" }
    var page = "<h3>Roles</h3>\n<table>\n<tr><th>role</th><th>machine</th><th>namespace</th><th>cpu</th></tr>\n"
    for role in roles {
      let worker = role["worker"]?.string.map { " (\($0)\(role["spare"]?.string == "true" ? ", spare" : ""))" } ?? ""
      page += "<tr><td>\(html((role["name"]?.string ?? "") + worker))</td><td>\(html(role["machine"]?.string ?? ""))</td><td>\(html(role["namespace"]?.string ?? ""))</td><td>\(html(role["cpu_id"]?.string ?? ""))</td></tr>\n"
    }
    return page + "</table>\n"
  }

  /// What each machine said of itself, one column per fact any of them gave.
  private func machinesTable() -> String {
    let machines = stored.record["machines"]?.items ?? []
    guard !machines.isEmpty else { return "" }
    let keys = machines.flatMap { $0.pairs.map(\.key) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    var page = "<h3>Machines</h3>\n<table>\n<tr>" + keys.map { "<th>\(html($0))</th>" }.joined() + "</tr>\n"
    for machine in machines {
      page += "<tr>" + keys.map { key -> String in
        // Byte counts as people read them (24 GiB, not 25276063744).
        if key.hasSuffix("_bytes"), let bytes = machine[key]?.doubleValue {
          return "<td class=\"number\">\(html(DataFrame.formatWithPrefix(bytes, unit: "bytes", digits: 3)))</td>"
        }
        return "<td>\(html(ReportPage.text(machine[key])))</td>"
      }.joined() + "</tr>\n"
    }
    return page + "</table>\n"
  }

  /// Each variable and its values (a variable of thousands: its first and last ones, and how many).
  private func variablesTable() -> String {
    var page = "<h3>Variables</h3>\n"
    guard !stored.variables.isEmpty else { return page + "<p>None: every run is the same point.</p>\n" }
    page += "<table>\n<tr><th>variable</th><th>values</th></tr>\n"
    for variable in stored.variables {
      let count = variable.labelCount
      let text = count <= 40
        ? (0..<count).map(variable.label(at:)).joined(separator: ", ")
        : ((0..<20).map(variable.label(at:)) + ["…"] + (count - 5..<count).map(variable.label(at:))).joined(separator: ", ") + " (\(count) values)"
      page += "<tr><td>\(html(variable.name))</td><td>\(html(text))</td></tr>\n"
    }
    return page + "</table>\n"
  }

  /// Graph `index`, inline, with links to its files, in pieces.
  func figureElement(_ index: Int, _ emit: (String) throws -> Void) rethrows {
    let entry = figures[index]
    var svg = SVGFigure(entry.figure)
    svg.idPrefix = "g\(index)-"
    let file = "graphs/" + FigureFiles.safeName(entry.result)
    try emit("<figure id=\"graph-\(index)\">\n")
    try svg.render(emit)
    try emit("<figcaption>\(html(entry.result)): "
      + "<a href=\"\(html(file)).svg\">SVG</a> · <a href=\"\(html(file)).csv\">data (CSV)</a> · <a href=\"\(html(file)).py\">matplotlib script</a></figcaption>\n</figure>\n")
  }

  /// The table per point (wide, filtered, scrolling) and per machine (long).
  func resultsSection() -> String {
    "<section id=\"results\">\n<h2>Results</h2>\n<p>Mean over the runs that ended ok ± the half-width of its 95% confidence interval.</p>\n"
      + "<input class=\"table-filter\" type=\"search\" data-table=\"results-table\" placeholder=\"Filter rows (words, all must match)\">\n"
      + "<div class=\"scroll\">" + aggregatedTable() + "</div>\n" + perMachineSection() + "</section>\n"
  }

  /// The runs that did not end ok: their point, error and log.
  func failuresSection(_ failed: [ResultRow]) -> String {
    guard !failed.isEmpty else { return "" }
    var page = "<section id=\"failures\">\n<h2>Failed runs</h2>\n<table>\n<tr><th>run</th>"
      + stored.variables.map { "<th>\(html($0.name))</th>" }.joined() + "<th>repetition</th><th>status</th><th>error</th><th>log</th></tr>\n"
    for row in failed {
      page += "<tr><td>\(row.index)</td>"
      for (variable, value) in zip(stored.variables, row.values) { page += "<td>\(html(variable.label(of: value)))</td>" }
      page += "<td>\(row.repetition)</td><td>\(html(row.status.rawValue))</td><td class=\"error\">\(html(row.error ?? ""))</td>"
      page += "<td>\(row.log.map { "<a href=\"\(html($0))\">\(html(FileSystem.basename($0)))</a>" } ?? "")</td></tr>\n"
    }
    page += "</table>\n</section>\n"
    return page
  }

  /// One row per point: the variables, the runs, each numeric result's mean ± CI.
  func aggregatedTable(id: String = "results-table") -> String {
    let variables = table.columns.filter(\.isVariable).map(\.name)
    let shown = 1000
    guard let groups = try? table.groups(by: variables, limit: shown) else { return "" }
    let status = table.column(named: "status")
    var out = "<table class=\"results\" id=\"\(id)\">\n<tr>" + (variables + ["runs"] + results).map { "<th>\(html($0))</th>" }.joined() + "</tr>\n"
    for (key, members) in zip(groups.keys, groups.rows) {
      out += "<tr>"
      for (name, value) in zip(variables, key) {
        let column = table.column(named: name)
        // A variable that does not apply to the point: `-`, as in every table.
        out += "<td>\(html(value == .nil ? "-" : column?.labels?[value] ?? value.displayString))</td>"
      }
      let ok = members.filter { status?.values[$0] == .string("ok") }
      out += "<td class=\"number\">\(ok.count)/\(members.count)</td>"
      for result in results {
        guard let column = table.column(named: result) else { continue }
        let samples = ok.compactMap { column.values[$0].doubleValue }
        guard !samples.isEmpty else { out += "<td class=\"missing\">—</td>"; continue }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let scale = AxisScale(values: [mean], unit: column.unit, log: false, fromZero: false)
        var text = scale.describe(mean)
        if let half = Aggregate.confidence95(samples, mean: mean) {
          text += " ± " + NumberText.formatNumber(half / scale.factor, digits: 2)
        }
        out += "<td class=\"number\">\(html(text))</td>"
      }
      out += "</tr>\n"
    }
    out += "</table>\n"
    if groups.count > shown {
      out += "<p>The first \(shown) of \(groups.count) points; all of them: <code>mpf show \(html(stored.directory))</code>.</p>\n"
    }
    return out
  }

  static func text(_ node: YAMLNode?) -> String {
    guard let node else { return "" }
    switch node {
    case .scalar: return node.string ?? ""
    case .sequence(let items, _, _): return items.map { text($0) }.joined(separator: ", ")
    case .mapping(let pairs, _, _): return pairs.map { "\($0.key): \(text($0.value))" }.joined(separator: ", ")
    }
  }

  func html(_ text: String) -> String { text.escapingMarkup }

  /// The ranking's bar widths, one class per 2% (`w0` to `w50`, 4 px each): the policy allows no
  /// style attribute, so a width is a class.
  static let shareWidths = (0...50).map { ".w\($0){width:\($0 * 4)px}" }.joined()

  static let style = """
    body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0 auto;max-width:1700px;padding:0 24px 40px;color:#1d1d1d;background:#fff}
    header{border-bottom:2px solid #0072B2;margin-bottom:8px}h1{margin:18px 0 4px;font-size:26px}
    .summary{color:#444;margin:4px 0 12px}.status{font-weight:bold}.status.completed{color:#00734f}.status.stopped{color:#b34700}.status.running{color:#0072B2}
    nav a{margin-right:14px;color:#0072B2}h2{margin-top:30px;border-bottom:1px solid #ddd;padding-bottom:4px}
    table{border-collapse:collapse;margin:8px 0 16px;font-size:14px}th,td{border:1px solid #ddd;padding:4px 10px;text-align:left;vertical-align:top}
    th{background:#f4f6f8}.facts th{width:140px}td.number{text-align:right;font-variant-numeric:tabular-nums}td.missing{color:#999;text-align:center}
    td.error{font-family:monospace;white-space:pre-wrap;max-width:700px}
    #graphs{display:flex;flex-wrap:wrap;gap:18px}#graphs h2,#graphs p{flex-basis:100%}
    figure{margin:0;border:1px solid #e4e4e4;padding:8px;background:#fff}figure svg{max-width:100%;height:auto;display:block}
    figcaption{font-size:13px;color:#555;margin-top:4px}footer{margin-top:40px;color:#777;font-size:12px}
    .scroll{overflow-x:auto;max-width:100%}.scroll table{margin-top:0}input.table-filter{font-size:14px;padding:4px 8px;width:320px;margin:4px 0 8px}
    #explorer{position:relative}#explorer label{margin-right:16px;font-size:14px}#explorer select{font-size:14px;margin-left:4px}
    .explorer-chart svg{max-width:100%;height:auto;font-size:12px}.explorer-chart .grid{stroke:#e6e6e6}.explorer-chart .axis{stroke:#444}
    .explorer-chart .title{font-size:13px;fill:#222}.explorer-chart circle.point{cursor:pointer;stroke:#fff;stroke-width:1}
    .explorer-legend{margin:8px 0}.explorer-legend button{font-size:13px;margin:0 8px 4px 0;border:1px solid #ccc;background:#fff;border-radius:3px;padding:2px 8px;cursor:pointer}
    .explorer-legend button.off{opacity:.4;text-decoration:line-through}.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px;border-radius:2px}
    .explorer-tip{position:absolute;background:#fffff4;border:1px solid #bbb;padding:6px 8px;font-size:12px;margin:0;pointer-events:none;white-space:pre;box-shadow:0 1px 4px rgba(0,0,0,.15)}
    .share{display:inline-block;height:10px;background:#0072B2;vertical-align:middle;margin-right:6px;min-width:1px}
    """ + ReportPage.shareWidths
}

