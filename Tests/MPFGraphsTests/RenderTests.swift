import Testing
import MPFCore
import MPFGraphs
import MPFResults

/// The structure of what is drawn: SVG elements, the terminal's braille, the CSV.
@Suite struct RenderTests {
  func count(_ needle: String, in text: String) -> Int { text.ranges(of: needle).count }

  @Test func svgHasAxesSeriesErrorBarsAndLegend() throws {
    let figure = try FigureBuilder.figure(FigureBuilderTests.table(), PlotRequest(y: "goodput"), name: "t")
    let svg = SVGFigure(figure).render()
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.hasSuffix("</svg>\n"))
    #expect(count("<path class=\"series\"", in: svg) == 2)
    // 6 points; the one with a single run has no interval.
    #expect(count("<g class=\"errorbar\"", in: svg) == 5)
    #expect(svg.contains(">copy</text>"))
    #expect(svg.contains(">zerocopy</text>"))
    #expect(svg.contains("class=\"legend-title\""))
    // 64 Mbit/s to 2.05 Gbit/s: the axis is in Gbit/s.
    #expect(svg.contains(">goodput (Gbit/s)</text>"))
    for tick in ["64", "256", "1024"] { #expect(svg.contains("class=\"tick\" x=") && svg.contains(">\(tick)</text>")) }
    #expect(svg.contains(">t: goodput</text>"))
    // Colour-blind palette, and a second cue for black-and-white: dashes.
    #expect(svg.contains("stroke=\"#0072B2\""))
    #expect(svg.contains("stroke-dasharray"))
  }

  /// A line of many points comes in pieces of about 64 KiB, never as one string of its path,
  /// and the pieces are the whole document.
  @Test func aLongLineIsDrawnInPieces() throws {
    let x: [LuaValue] = (0..<20_000).map { (i: Int) -> LuaValue in .integer(Int64(i)) }
    let y: [LuaValue] = (0..<20_000).map { (i: Int) -> LuaValue in .number(Double(i % 97) * 1.5) }
    let table = Table(columns: [Table.Column(name: "i", values: x, isVariable: true), Table.Column(name: "y", values: y)])
    let svg = SVGFigure(try FigureBuilder.figure(table, PlotRequest(y: "y", x: "i"), name: "t"))
    var pieces: [String] = []
    svg.render { pieces.append($0) }
    #expect(pieces.map(\.utf8.count).max()! < 70_000)
    let whole = pieces.joined()
    #expect(whole == svg.render())
    #expect(count(" L", in: whole) == 19_999)
    #expect(whole.hasSuffix("</svg>\n") && count("<path class=\"series\"", in: whole) == 1)
  }

  @Test func barsHaveHatchesAndTextIsEscaped() throws {
    var request = PlotRequest(y: "goodput", x: "mode")
    request.title = "a < b & \"c\""
    let svg = SVGFigure(try FigureBuilder.figure(FigureBuilderTests.table(), request, name: "t")).render()
    #expect(count("<rect class=\"bar\"", in: svg) == 6)
    #expect(svg.contains("url(#hatch1)"))
    #expect(svg.contains("a &lt; b &amp; &quot;c&quot;"))
    #expect(!svg.contains("a < b"))
  }

  @Test func terminalDrawsBrailleWithMarkersAndLegend() throws {
    let figure = try FigureBuilder.figure(FigureBuilderTests.table(), PlotRequest(y: "goodput"), name: "t")
    let text = TerminalFigure(figure, width: 60, height: 10).render()
    #expect(text.unicodeScalars.contains { $0.value > 0x2800 && $0.value <= 0x28FF })
    #expect(text.contains("●"))
    #expect(text.contains("■"))
    // zerocopy ends higher: it is listed first.
    #expect(text.contains("mode: ■ zerocopy   ● copy"))
    #expect(text.contains("y: goodput (Gbit/s)"))
    #expect(!text.contains("\u{1B}["))
    #expect(TerminalFigure(figure, width: 60, height: 10, colour: true).render().contains("\u{1B}[34m"))
    let plotLines = text.split(separator: "\n").filter { $0.contains("┤") }
    #expect(plotLines.count == 10)
    #expect(plotLines.allSatisfy { $0.count <= 60 })
    let bars = TerminalFigure(try FigureBuilder.figure(FigureBuilderTests.table(), PlotRequest(y: "goodput", x: "mode"), name: "t"), width: 60).render()
    #expect(bars.contains("█"))
    #expect(bars.contains("Gbit/s"))
  }

  @Test func csvHoldsExactlyWhatIsDrawn() throws {
    let figure = try FigureBuilder.figure(FigureBuilderTests.table(), PlotRequest(y: "goodput"), name: "t")
    let lines = FigureData(figure).csv().split(separator: "\n")
    #expect(lines.first == "panel,series,x,y,y_low,y_high,runs,each_run")
    #expect(lines.count == 7)
    // In the axis's unit (Gbit/s): size 64, copy: mean 0.069.
    #expect(lines[1].hasPrefix(",copy,64,0.069,"))
    #expect(lines[1].hasSuffix(",2,0.064 0.074"))
    #expect(lines.contains { $0 == ",zerocopy,64,0.128,,,1," })
    let script = FigureData(figure).matplotlib(csvName: "goodput.csv", pngName: "goodput.png")
    #expect(script.contains("\"goodput.csv\""))
    #expect(script.contains("ax.set_ylabel(\"goodput (Gbit/s)\")"))
  }
}
