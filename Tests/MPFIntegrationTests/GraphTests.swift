import Testing
import MPFCore
import MPFWorker
import MPFSystem
import MPFYAML
import MPFText

/// The graphs, report and comparisons mpf draws, checked with real tools: rsvg-convert renders
/// every SVG (a malformed one fails), Debian's python3 runs the matplotlib scripts, headless
/// chromium loads report.html, and pixels are counted to tell a drawing from a blank page.
@Suite struct GraphTests {
  /// Runs Fixtures/graphs.lua (60 runs: size × mode × cpus, 3 repetitions, one failure) in `dir`.
  func runGraphs(in dir: String, arguments: [String] = []) async throws -> String {
    let experiments = FileSystem.join(dir, "mpf_experiments")
    let before = Set(FileSystem.directoryEntries(experiments))
    let result = try await MPFCommand.run([MPFCommand.fixture("graphs.lua"), "-q"] + (arguments.isEmpty ? [] : ["--"] + arguments), in: dir)
    #expect(result.status == 3, "stderr: \(result.stderr)")  // one run failed
    let made = try #require(Set(FileSystem.directoryEntries(experiments)).subtracting(before).first)
    return FileSystem.join(experiments, made)
  }

  /// Size, distinct colours and the fraction of non-white pixels of a PNG (Debian's python3 and PIL).
  func pixels(_ png: String) async throws -> (width: Int, height: Int, colours: Int, ink: Double) {
    let code = """
      import sys
      from PIL import Image
      image = Image.open(sys.argv[1]).convert("RGB")
      data = list(image.getdata())
      ink = sum(1 for p in data if sum(p) < 720) / len(data)
      print(image.width, image.height, len(set(data)), ink)
      """
    let result = try await MPFCommand.runProgram(["/usr/bin/python3", "-c", code, png], in: FileSystem.dirname(png))
    let fields = result.stdout.split(separator: " ").map { String($0).trimmed() }
    guard result.status == 0, fields.count == 4 else { throw LuaRaise("cannot read \(png): \(result.stderr)") }
    return (Int(fields[0]) ?? 0, Int(fields[1]) ?? 0, Int(fields[2]) ?? 0, Double(fields[3]) ?? 0)
  }

  @Test func everyNumericResultIsDrawnAndRendersToPixels() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let experiment = try await runGraphs(in: dir)
    let graphs = FileSystem.join(experiment, "graphs")
    // goodput and latency in every run, copies only in zerocopy runs; tag is a string.
    #expect(Set(FileSystem.directoryEntries(graphs)) == Set(["goodput", "latency", "copies"].flatMap { ["\($0).svg", "\($0).csv", "\($0).py"] }))
    for name in ["goodput", "latency", "copies"] {
      let svg = FileSystem.join(graphs, name + ".svg")
      let png = FileSystem.join(dir, name + ".png")
      let render = try await MPFCommand.runProgram(["rsvg-convert", svg, "-o", png], in: dir)
      #expect(render.status == 0, "\(name).svg does not render: \(render.stderr)")
      let stats = try await pixels(png)
      #expect(stats.width > 400 && stats.height > 300)
      #expect(stats.colours > 8, "\(name): \(stats)")
      #expect(stats.ink > 0.02, "\(name) is nearly blank: \(stats)")
    }
    let goodput = try FileSystem.readString(FileSystem.join(graphs, "goodput.svg"))
    // x = size (numeric, most values); mode × cpus = 4 series; goodput in Gbit/s.
    #expect(goodput.ranges(of: "<path class=\"series\"").count == 4)
    #expect(goodput.contains(">goodput (Gbit/s)</text>"))
    #expect(goodput.contains(">size</text>"))
    #expect(goodput.contains(">zerocopy, cpus = 2</text>"))
    #expect(goodput.contains("1 run failed"))
    // 20 points, 19 with 3 runs and one with 2: every one has an error bar.
    #expect(goodput.ranges(of: "class=\"errorbar\"").count == 20)
    let csv = try FileSystem.readString(FileSystem.join(graphs, "goodput.csv")).split(separator: "\n")
    #expect(csv.count == 21)
    // size 64, zerocopy, cpus 1: log2(64) × 1.5 = 9 Gbit/s, ± 5% → mean 9; its CI is
    // t(2) × 0.45 / √3 = 4.303 × 0.2598 = 1.118 wide on each side.
    let line = try #require(csv.first { $0.hasPrefix(",\"zerocopy, cpus = 1\",64,9,") })
    let low = try #require(Double(line.split(separator: ",", omittingEmptySubsequences: false)[5]))
    #expect(abs(low - (9 - 4.303 * 0.45 / 3.0.squareRoot())) < 1e-3)
  }

  /// Result names that make the same file name once cleaned (`a b`, `a/b`, `a_b`) and one longer
  /// than a file name may be: each gets its graph, and the report shows them all.
  @Test func resultsWithOddNamesGetAGraphEachAndAReport() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("odd_result_names.lua"), "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let svgs = FileSystem.directoryEntries(FileSystem.join(experiment, "graphs")).filter { $0.hasSuffix(".svg") }
    #expect(svgs.count == 4, "\(svgs)")
    #expect(svgs.allSatisfy { $0.utf8.count < 100 })
    let report = try FileSystem.readString(FileSystem.join(experiment, "report.html"))
    for svg in svgs { #expect(report.contains(svg), "report lacks \(svg)") }
  }

  @Test func matplotlibScriptRedrawsTheFigure() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let experiment = try await runGraphs(in: dir)
    let graphs = FileSystem.join(experiment, "graphs")
    let kinds: [(String, [String])] = [
      ("goodput-by-mode-bar", ["--x", "mode", "--kind", "bar"]), ("goodput-by-size-box", ["--x", "size", "--kind", "box"]),
      ("goodput-cdf", ["--kind", "cdf"]), ("goodput-by-size-heatmap", ["--x", "size", "--by", "mode", "--kind", "heatmap"]),
      ("goodput-scatter", ["--kind", "scatter"]),
    ]
    for (_, options) in kinds {
      let plot = try await MPFCommand.run(["plot", experiment, "--y", "goodput"] + options, in: dir)
      #expect(plot.status == 0, "\(options): \(plot.stderr)")
    }
    for name in ["goodput", "latency"] + kinds.map(\.0) {
      let svg = FileSystem.join(graphs, name + ".svg")
      #expect(try await MPFCommand.runProgram(["rsvg-convert", svg, "-o", svg + ".png"], in: dir).status == 0, "\(name).svg")
      let drawn = try await pixels(svg + ".png")
      #expect(drawn.ink > 0.02 && drawn.colours > 8, "\(name).svg: \(drawn)")
      let run = try await MPFCommand.runProgram(["/usr/bin/python3", FileSystem.join(graphs, name + ".py")], in: dir, environment: ["MPLCONFIGDIR=\(dir)"])
      #expect(run.status == 0, "\(name).py: \(run.stderr)")
      let stats = try await pixels(FileSystem.join(graphs, name + ".png"))
      #expect(stats.ink > 0.02 && stats.colours > 8, "\(name).png: \(stats)")
    }
  }

  @Test func reportLoadsInHeadlessChromiumWithoutErrorsOrRequests() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let experiment = try await runGraphs(in: dir)
    let report = FileSystem.join(experiment, "report.html")
    let html = try FileSystem.readString(report)
    // Self-contained: the only URL is SVG's namespace, which is a name, not a request.
    #expect(!html.replacingAll("http://www.w3.org/2000/svg", with: "").replacingAll("http-equiv", with: "").contains("http"))
    // One script, allowed by its hash; the runs as data (never run); nothing else.
    #expect(html.ranges(of: "<script>").count == 1 && html.ranges(of: "<script type=\"application/json\"").count == 1)
    #expect(html.contains("Content-Security-Policy") && html.contains("script-src 'sha256-"))
    #expect(html.ranges(of: "<svg ").count == 3)
    #expect(html.contains("link flapped"))
    #expect(html.contains("<h2>Failed runs</h2>"))
    // The machine's facts, its memory in binary units.
    #expect(html.contains("<th>memory_bytes</th>"))
    #expect(html.contains(try Regex(#"<td class="number">[0-9.]+ [KMGT]iB</td>"#)))
    // The failed run's log is linked, and is there.
    let log = try #require(html.firstRange(of: "href=\"logs/").map { html[$0.lowerBound...].dropFirst(6).prefix { $0 != "\"" } })
    #expect(FileSystem.exists(FileSystem.join(experiment, String(log))), "missing \(log)")

    let screenshot = FileSystem.join(dir, "report.png")
    let chromium = try await MPFCommand.runProgram(
      ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(dir)/chromium",
       "--window-size=1400,2000", "--enable-logging=stderr", "--v=0", "--screenshot=\(screenshot)", "file://\(report)"], in: dir)
    #expect(chromium.status == 0, "chromium: \(chromium.stderr)")
    let console = chromium.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
    #expect(console.isEmpty, "console messages: \(console)")
    let stats = try await pixels(screenshot)
    #expect(stats.width == 1400)
    #expect(stats.ink > 0.03 && stats.colours > 20, "the report looks blank: \(stats)")
  }

  @Test func plotRedrawsFromStoredResultsAndInTheTerminal() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let first = try await runGraphs(in: dir)
    let second = try await runGraphs(in: dir, arguments: ["0.8"])
    let terminal = try await MPFCommand.run(["plot", first, "--y", "goodput", "--term"], in: dir)
    #expect(terminal.status == 0, "\(terminal.stderr)")
    #expect(terminal.stdout.unicodeScalars.contains { $0.value > 0x2800 && $0.value <= 0x28FF })
    #expect(terminal.stdout.contains("y: goodput (Gbit/s)"))
    // The legend lists the lines by where they end, highest first (2 cpus beat 1).
    #expect(terminal.stdout.contains("mode, cpus: ■ zerocopy, cpus = 2   ◆ copy, cpus = 2   ● zerocopy, cpus = 1"))
    // Two experiments: each is a series.
    let out = FileSystem.join(dir, "both")
    let both = try await MPFCommand.run(["plot", first, second, "--y", "goodput", "--x", "size", "--by", "experiment", "--out", out], in: dir)
    #expect(both.status == 0, "\(both.stderr)")
    let svg = try FileSystem.readString(FileSystem.join(out, "goodput-by-size.svg"))
    // Named by their script and what sets them apart (the second's argument), never a cut id.
    #expect(svg.contains(">graphs</text>") && svg.contains(">graphs (args 0.8)</text>"), "\(svg)")
    #expect(svg.ranges(of: "<path class=\"series\"").count == 2)
    #expect(FileSystem.exists(FileSystem.join(out, "goodput-by-size.csv")))
    let bad = try await MPFCommand.run(["plot", first, "--y", "tag"], in: dir)
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("holds no number"))
    let report = try await MPFCommand.run(["report", first], in: dir)
    #expect(report.status == 0)
    #expect(report.stdout.trimmed() == FileSystem.join(first, "report.html"))
  }

  @Test func compareGatesOnAWorsePoint() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let first = try await runGraphs(in: dir)
    let same = try await runGraphs(in: dir)
    let slower = try await runGraphs(in: dir, arguments: ["0.8"])
    let equal = try await MPFCommand.run(["compare", first, same, "--on", "goodput", "--fail-if-worse", "5", "--out", dir], in: dir)
    #expect(equal.status == 0, "\(equal.stderr)")
    #expect(equal.stdout.contains("goodput (Gbit/s), higher is better"))
    let worse = try await MPFCommand.run(["compare", first, slower, "--on", "goodput", "--fail-if-worse", "5", "--out", dir], in: dir)
    #expect(worse.status == 4)
    #expect(worse.stdout.contains("-20%"))
    #expect(worse.stderr.contains("is 20% worse (limit 5%)"))
    // Latency did not change; copies has no unit that says which way is better.
    let unknown = try await MPFCommand.run(["compare", first, slower, "--on", "copies", "--fail-if-worse", "5"], in: dir)
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("--higher-is-better or --lower-is-better"))
    // A limit that is no percentage (NaN passed a 20% regression; -5 was taken as a limit).
    for limit in ["nan", "-5", "inf"] {
      let bad = try await MPFCommand.run(["compare", first, slower, "--on", "goodput", "--fail-if-worse=\(limit)"], in: dir)
      #expect(bad.status == 64 && bad.stderr.contains("--fail-if-worse takes a percentage of 0 or more"), "\(limit): \(bad.stderr)")
    }
    let graph = FileSystem.join(dir, "compare-goodput.svg")
    #expect(try await MPFCommand.runProgram(["rsvg-convert", graph, "-o", graph + ".png"], in: dir).status == 0)
    let typo = try await MPFCommand.run(["compare", first, slower, "--on", "goodptu"], in: dir)
    #expect(typo.status == 1)
    #expect(typo.stderr.contains("both have: goodput, latency, copies"))
  }

  /// The original mpf's iperf units (`Kbits`, no `/sec`) are a rate, and a result with no unit
  /// is judged by its name (rtt: lower is better), said as such: no flag needed.
  @Test func compareTakesIperfUnitsAndNamesWithoutFlags() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let fixture = MPFCommand.fixture("iperf_units.lua")
    _ = try await MPFCommand.run([fixture, "-q", "--out", "a"], in: dir)
    _ = try await MPFCommand.run([fixture, "-q", "--out", "b", "--", "0.5"], in: dir)
    let a = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "a")).first.map { FileSystem.join(dir, "a/" + $0) })
    let b = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "b")).first.map { FileSystem.join(dir, "b/" + $0) })
    let compared = try await MPFCommand.run(["compare", a, b, "--fail-if-worse", "5", "--no-graph"], in: dir)
    #expect(compared.status == 4, "half the goodput is worse: \(compared.stdout) \(compared.stderr)")
    #expect(compared.stdout.contains("higher is better: A"), "\(compared.stdout)")
    #expect(compared.stdout.contains("rtt_avg, lower is better (said by its name, the unit does not)"), "\(compared.stdout)")
    #expect(compared.stderr.contains("goodput") && compared.stderr.contains("50% worse"), "\(compared.stderr)")
  }

  @Test func plotFromLua() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let experiment = try await runGraphs(in: dir)
    let script = FileSystem.join(dir, "plot.lua")
    try FileSystem.writeAtomically(script, Array("""
      local df = mpf.load(mpf.args[1])
      print(df:plot{y = 'latency', x = 'size', kind = 'box', file = 'out/latency.svg'})
      print(df:plot('goodput'))
      df:plot{y = 'goodput', x = 'mode', term = true}
      df:plot{y = 'goodput', colour = 'red'}

      """.utf8))
    let result = try await MPFCommand.run([script, "--", experiment], in: dir)
    #expect(result.status == 1)
    #expect(result.stdout.contains("out/latency.svg\n"))
    #expect(result.stdout.contains(FileSystem.join(experiment, "graphs/goodput.svg")))
    #expect(result.stdout.contains("█"))
    #expect(result.stderr.contains("plot.lua:5:"))
    #expect(result.stderr.contains("df:plot: unknown option 'colour'"))
    #expect(FileSystem.exists(FileSystem.join(dir, "out/latency.csv")))
    // Titled by the experiment's script, also for a dataframe mpf.load read back.
    #expect(try FileSystem.readString(FileSystem.join(dir, "out/latency.svg")).contains(">graphs: latency</text>"))
  }
}

/// `mpf run --label` names an experiment wherever it is shown with others; a hostile label is
/// stored as it is and shown escaped, one line, cut.
@Suite struct LabelTests {
  @Test(.timeLimit(.minutes(2))) func aLabelNamesTheExperimentInPlotAndCompare() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let fixture = MPFCommand.fixture("iperf_units.lua")
    let hostile = "fast\u{1B}[31m path\n" + String(repeating: "x", count: 5000)
    _ = try await MPFCommand.run([fixture, "-q", "--out", "a", "--label", "baseline"], in: dir)
    _ = try await MPFCommand.run([fixture, "-q", "--out", "b", "--label", hostile, "--", "0.5"], in: dir)
    let a = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "a")).first.map { FileSystem.join(dir, "a/" + $0) })
    let b = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "b")).first.map { FileSystem.join(dir, "b/" + $0) })
    let stored = try #require(try YAMLParser.parse(try FileSystem.readString(FileSystem.join(b, "experiment.yaml"))))
    #expect(stored["label"]?.string == hostile, "the label is stored whole")
    let compared = try await MPFCommand.run(["compare", a, b, "--no-graph"], in: dir)
    #expect(compared.stdout.contains("A = baseline, B = fast\\e[31m path xxx"), "\(compared.stdout)")
    #expect(!compared.stdout.unicodeScalars.contains("\u{1B}") && !compared.stdout.contains(String(repeating: "x", count: 100)))
    let plot = try await MPFCommand.run(["plot", a, b, "--y", "goodput", "--x", "size", "--by", "experiment", "--out", FileSystem.join(dir, "p")], in: dir)
    #expect(plot.status == 0, "\(plot.stderr)")
    let svg = try FileSystem.readString(FileSystem.join(dir, "p/goodput-by-size.svg"))
    #expect(svg.contains(">baseline</text>"), "\(svg)")
    #expect(!svg.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "no raw control character in the SVG (XML forbids them)")
    #expect(svg.contains("fast"), "the hostile label is there, cleaned")
  }
}
