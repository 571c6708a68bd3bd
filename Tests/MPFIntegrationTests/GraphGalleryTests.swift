import Testing
import MPFCore
import MPFGraphs
import MPFResults
import MPFSystem

/// A fixed gallery of figures, one per case a reviewer looks at (few runs, many series, wide
/// ranges, dense and hostile labels, small multiples, distributions, a sampled design), drawn
/// to SVG, to PNG by rsvg-convert, and redrawn by its matplotlib script: every script of every
/// kind must run and write its PNG. The folder is printed, so that a change in a picture is
/// seen.
@Suite struct GraphGalleryTests {
  static let folder = FileSystem.join(MPFCommand.repository, ".build/gallery")

  static func table(_ columns: [(String, [LuaValue], Bool, String?)]) -> Table {
    Table(columns: columns.map { Table.Column(name: $0.0, values: $0.1, unit: $0.3, isVariable: $0.2) })
  }

  /// size × mode × cpus, `runs` runs per point, a latency in seconds that is sometimes far off.
  static func latencies(runs: Int = 3) -> Table {
    var size: [LuaValue] = [], mode: [LuaValue] = [], cpus: [LuaValue] = [], latency: [LuaValue] = []
    for s in [64, 512, 4096] { for m in ["copy", "zerocopy"] { for c in [4, 1, 2] { for r in 0..<runs {
      size.append(.integer(Int64(s)))
      mode.append(.string(m))
      cpus.append(.integer(Int64(c)))
      let base = Double(s) * (m == "copy" ? 2e-6 : 1e-6) / Double(c)
      latency.append(.number(base * (r % 3 == 2 ? 4 : 1 + Double(r % 5) * 0.1)))
    } } } }
    return table([("size", size, true, nil), ("mode", mode, true, nil), ("cpus", cpus, true, nil), ("latency", latency, false, "s")])
  }

  /// 12 series that cross, ending in a shuffled order.
  static func manySeries() -> Table {
    var x: [LuaValue] = [], k: [LuaValue] = [], y: [LuaValue] = []
    for series in 0..<12 { for step in 0..<6 { for run in 0..<2 {
      x.append(.integer(Int64(step)))
      k.append(.string("config \(series)"))
      y.append(.number(Double((series * 5) % 12) * Double(step) + Double(series) + Double(run)))
    } } }
    return table([("x", x, true, nil), ("config", k, true, nil), ("ops", y, false, "ops/s")])
  }

  /// Category labels a script might give: long, dense, markup, quotes, scripts, emoji.
  static func hostileLabels() -> Table {
    let names = ["<script>alert(1)</script>", "a \"quoted\" 'name' & more", "\u{202E}reversed", "🚀 rocket 🚀",
                 String(repeating: "very long label ", count: 12), "line\nbreak", "\\x00 back\\slash", "ünïcödé ñame"]
      + (0..<40).map { "setting-\($0)" }
    var x: [LuaValue] = [], y: [LuaValue] = []
    for (index, name) in names.enumerated() { for run in 0..<2 {
      x.append(.string(name))
      y.append(.number(Double(index % 7 + 1) * 1e3 + Double(run) * 50))
    } }
    return table([("setting", x, true, nil), ("bytes", y, false, "bytes")])
  }

  /// 24 points sampled out of 6 × 5 × 4, two runs each.
  static func sampled() -> Table {
    var a: [LuaValue] = [], b: [LuaValue] = [], c: [LuaValue] = [], y: [LuaValue] = []
    for point in 0..<24 { for run in 0..<2 {
      let (i, j, k) = ((point * 7) % 6, (point * 3) % 5, (point * 11) % 4)
      a.append(.integer(Int64(1 << i)))
      b.append(.string(["cubic", "bbr", "reno", "vegas", "htcp"][j]))
      c.append(.number(Double(k) * 0.25))
      y.append(.number((Double(1 << i) * 1e8 + Double(j) * 3e8) * (1 - Double(k) * 0.2) + Double(run) * 1e7))
    } }
    return table([("window", a, true, nil), ("cc", b, true, nil), ("loss", c, true, nil), ("goodput", y, false, "bits/s")])
  }

  static func cases() throws -> [(String, Figure)] {
    func figure(_ table: Table, _ request: PlotRequest) throws -> Figure { try FigureBuilder.figure(table, request, name: "gallery") }
    var many = PlotRequest(y: "ops", by: ["config"])
    many.maxSeries = 12
    var decades = PlotRequest(y: "latency", x: "size", by: ["mode"])
    decades.logX = nil
    var out: [(String, Figure)] = [
      ("few-runs-latency", try figure(latencies(), PlotRequest(y: "latency", x: "size", by: ["mode"]))),
      ("few-runs-bars", try figure(latencies(), PlotRequest(y: "latency", x: "mode", by: ["cpus"]))),
      ("twelve-series", try figure(manySeries(), many)),
      ("small-multiples", try figure(latencies(), PlotRequest(y: "latency"))),
      ("hostile-labels", try figure(hostileLabels(), PlotRequest(y: "bytes"))),
      ("box", try figure(latencies(runs: 12), PlotRequest(y: "latency", x: "mode", by: ["cpus"], kind: .box))),
      ("violin", try figure(latencies(runs: 40), PlotRequest(y: "latency", x: "mode", by: ["cpus"], kind: .violin))),
      ("cdf", try figure(latencies(), PlotRequest(y: "latency", by: ["mode"], kind: .cdf))),
      ("heatmap", try figure(latencies(), PlotRequest(y: "latency", x: "size", by: ["cpus"], kind: .heatmap))),
      ("scatter", try figure(latencies(), PlotRequest(y: "latency", x: "size", by: ["mode"], kind: .scatter))),
    ]
    out += FigureBuilder.automatic(sampled(), name: "gallery").map { ("sampled-\($0.result)", $0.figure) }
    return out
  }

  @Test func everyCaseDrawsToSVGAndPNGAndItsMatplotlibScriptRuns() async throws {
    FileSystem.removeTree(Self.folder)
    let cases = try Self.cases()
    var kinds = Set<Figure.Kind>()
    for (name, figure) in cases {
      kinds.insert(figure.kind)
      let svg = try FigureFiles.write(figure, directory: Self.folder, name: name)
      let render = try await MPFCommand.runProgram(["rsvg-convert", svg, "-o", FileSystem.join(Self.folder, name + ".svg.png")], in: Self.folder)
      #expect(render.status == 0, "\(name).svg: \(render.stderr)")
      let script = FileSystem.join(Self.folder, name + ".py")
      let run = try await MPFCommand.runProgram(["/usr/bin/python3", script], in: Self.folder, environment: ["MPLCONFIGDIR=\(Self.folder)"])
      #expect(run.status == 0, "\(name).py: \(run.stderr)")
      let png = FileSystem.join(Self.folder, name + ".png")
      #expect((try? FileSystem.read(png))?.starts(with: [0x89, 0x50, 0x4E, 0x47]) == true, "\(name).py wrote no PNG")
    }
    #expect(kinds == Set(Figure.Kind.allCases))
    print("graph gallery: \(Self.folder)")
  }
}
