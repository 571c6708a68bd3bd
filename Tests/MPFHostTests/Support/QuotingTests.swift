import Testing
import MPFCore

/// The output-quoting room (Sources/MPFCore/Quoting): one function per target.
@Suite struct QuotingTests {
  @Test func terminalTextShowsEveryControlVisibly() {
    #expect(TerminalText.escaped("a\u{1B}[31mb") == "a\\e[31mb")
    #expect(TerminalText.escaped("nul\0end") == "nul\\0end")
    #expect(TerminalText.escaped("x\u{202E}y\u{2066}z\u{200E}\u{200F}\u{2069}") == "x\\u{202E}y\\u{2066}z\\u{200E}\\u{200F}\\u{2069}")
    #expect(TerminalText.escaped("c1\u{9B}31m del\u{7F} bel\u{7}") == "c1\\u{9B}31m del\\u{7F} bel\\u{7}")
    #expect(TerminalText.escaped("l1\nl2\tx\r") == "l1\\nl2\\tx\\r")
    #expect(TerminalText.escaped("l1\nl2\tx\r", keepingLines: true) == "l1\nl2\tx\\r")
    #expect(TerminalText.escaped("line\u{2028}sep") == "line\\u{2028}sep")
    #expect(TerminalText.escaped("plain é 漢字 — ok") == "plain é 漢字 — ok")
  }

  @Test func integersFromDoublesAreChecked() {
    #expect(NumberBounds.checkedInt(.infinity) == nil && NumberBounds.checkedInt(-.infinity) == nil && NumberBounds.checkedInt(.nan) == nil)
    #expect(NumberBounds.checkedInt(1e308) == nil && NumberBounds.checkedInt(9.3e18) == nil)
    #expect(NumberBounds.checkedInt(-2.7) == -2 && NumberBounds.checkedInt(2.5, rounding: .toNearestOrAwayFromZero) == 3)
    #expect(NumberBounds.clampedInt(.infinity, to: 0...10, nan: 5) == 10)
    #expect(NumberBounds.clampedInt(-1e308, to: 0...10, nan: 5) == 0)
    #expect(NumberBounds.clampedInt(.nan, to: 0...10, nan: 5) == 5)
  }
}
