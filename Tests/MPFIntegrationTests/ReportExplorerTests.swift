import Testing
import MPFSystem
import MPFText

/// report.html in a real headless Chromium, driven over the DevTools protocol
/// (Support/browser-drive.py): the explorer redraws from the runs in the page, the legend hides
/// a series, hovering reads a point, the filter hides rows; no console error, no CSP violation,
/// and a script the page does not name by its hash does not run.
@Suite struct ReportExplorerTests {
  /// Runs `steps` (see browser-drive.py) on `page`; returns the driver's JSON answer.
  func drive(_ page: String, _ steps: String, in dir: String) async throws -> (results: [String], errors: String, loadMilliseconds: Int) {
    let file = FileSystem.join(dir, "steps-\(MPFCommand.uniqueMarker()).json")
    try FileSystem.writeAtomically(file, Array(steps.utf8))
    let driver = FileSystem.join(MPFCommand.repository, "Tests/MPFIntegrationTests/Support/browser-drive.py")
    let out = try await MPFCommand.runProgram(["/usr/bin/python3", driver, page, file], in: dir)
    #expect(out.status == 0, "\(out.stderr)")
    // The driver's answer, read with Python's json into one line per result (no JSON parser here).
    let read = try await MPFCommand.runProgram(
      ["/usr/bin/python3", "-c", "import json,sys; d=json.loads(sys.argv[1]); print(d['load_ms']); print(json.dumps(d['errors'])); [print(json.dumps(r)) for r in d['results']]", out.stdout],
      in: dir)
    let lines = read.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count >= 2, "\(out.stdout) \(read.stderr)")
    return (Array(lines.dropFirst(2)), lines.count > 1 ? lines[1] : "?", Int(lines.first ?? "") ?? -1)
  }

  @Test(.timeLimit(.minutes(2))) func theExplorerRedrawsHidesReadsAndFilters() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let run = try await MPFCommand.run([MPFCommand.fixture("report_explore.lua"), "-q"], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let report = try await MPFCommand.run(["report", experiment], in: dir)
    #expect(report.status == 0, "\(report.stderr)")
    let page = FileSystem.join(experiment, "report.html")
    let html = try FileSystem.readString(page)
    #expect(html.contains("script-src 'sha256-") && html.contains("style-src 'sha256-") && !html.contains("unsafe-inline"))
    // No style attribute: the policy allows only the page's one <style>, by its hash.
    #expect(!html.contains(" style=\""))
    #expect(html.contains("zc when proto = &#39;tcp&#39;"), "the design states the when condition")
    let points = "document.querySelectorAll('#explorer circle.point').length"
    let legend = "document.querySelectorAll('#explorer .explorer-legend button').length"
    func choose(_ name: String, _ value: String) -> String {
      "(s => { s.value = \(JSONText.string(value)); s.dispatchEvent(new Event('change')); return \(points) })(document.querySelector('#explorer select[name=\(name)]'))"
    }
    let gallery = FileSystem.join(MPFCommand.repository, ".build/gallery")
    try? FileSystem.createDirectory(gallery)
    let steps = """
      [["eval", "\(points)"], ["eval", "\(legend)"],
       ["shot", "#explore", "\(gallery)/report-explore.png"],
       ["eval", \(JSONText.string("(c => { c.dispatchEvent(new MouseEvent('mouseover', {bubbles: true, clientX: 10, clientY: 10})); return document.querySelector('.explorer-tip').hidden ? 'hidden' : document.querySelector('.explorer-tip').textContent })(document.querySelector('#explorer circle.point'))"))],
       ["eval", \(JSONText.string("(b => { b.click(); return document.querySelector('#explorer g.series').getAttribute('visibility') })(document.querySelector('#explorer .explorer-legend button'))"))],
       ["eval", \(JSONText.string(choose("series", "")))], ["eval", "\(legend)"],
       ["eval", \(JSONText.string("(() => { \(choose("x", "proto")); \(choose("y", "rate")); return \(choose("series", "zc")) })()"))], ["eval", "\(legend)"],
       ["eval", \(JSONText.string("(f => { f.value = 'udp'; f.dispatchEvent(new Event('input')); return [...document.querySelectorAll('#results-table tr')].filter((r, i) => i > 0 && !r.hidden).length })(document.querySelector('input[data-table=results-table]'))"))],
       ["eval", "document.querySelectorAll('#statistics table.shares').length"],
       ["shot", "#statistics", "\(gallery)/report-statistics.png"]]
      """
    let answer = try await drive(page, steps, in: dir)
    #expect(answer.errors == "[]", "console errors or CSP violations: \(answer.errors)")
    let results = answer.results
    try #require(results.count == 10, "\(results)")
    #expect(results[0] == "12" && results[1] == "2", "the default view: size across, proto as series: \(results)")
    #expect(results[2].contains("n = 8 runs") && results[2].contains("latency: "), "hover reads the point: \(results[2])")
    #expect(results[3] == "\"hidden\"", "a clicked legend entry hides its series")
    #expect(results[4] == "6" && results[5] == "0", "no series: one point per size, no legend: \(results)")
    #expect(results[6] == "3" && results[7] == "3", "proto across, zc as series (off, on, not applicable): \(results)")
    #expect(results[8] == "6", "the filter keeps the 6 udp points: \(results[8])")
    #expect(results[9] == "2", "a ranking per result")
  }

  /// A script the page does not name by its hash (one slipped into the file) is refused by the
  /// Content-Security-Policy, and said as a violation.
  @Test(.timeLimit(.minutes(2))) func aScriptWithoutTheHashDoesNotRun() async throws {
    let dir = MPFCommand.temporaryDirectory()
    _ = try await MPFCommand.run([MPFCommand.fixture("report_explore.lua"), "-q"], in: dir)
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    _ = try await MPFCommand.run(["report", experiment], in: dir)
    let page = FileSystem.join(experiment, "report.html")
    let tampered = try FileSystem.readString(page).replacingAll("</body>", with: "<script>document.title = 'pwned'</script></body>")
    let copy = FileSystem.join(dir, "tampered.html")
    try FileSystem.writeAtomically(copy, Array(tampered.utf8))
    let answer = try await drive(copy, "[[\"eval\", \"document.title\"], [\"eval\", \"document.querySelectorAll('#explorer circle.point').length\"]]", in: dir)
    #expect(answer.results.first != "\"pwned\"", "\(answer.results)")
    #expect(answer.results.last == "12", "the page's own script still runs")
    #expect(answer.errors.contains("Content Security Policy"), "\(answer.errors)")
  }
}
