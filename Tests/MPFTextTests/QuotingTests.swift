import Testing
import MPFSystem
import MPFText

/// The output-quoting room (Sources/MPFText/Quoting): one function per target.
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

  @Test func pythonLiteralsHoldEveryLineBreakAndControl() {
    #expect(PythonText.string("a\r\nb\"c\\") == "\"a\\r\\nb\\\"c\\\\\"")
    #expect(PythonText.string("nul\0 sep\u{2028} rlo\u{202E}") == "\"nul\\x00 sep\\u2028 rlo\\u202e\"")
    #expect(PythonText.number(.infinity) == "float(\"inf\")" && PythonText.number(.nan) == "float(\"nan\")")
  }

  @Test func csvFieldsAreQuotedForEveryLineBreak() {
    #expect(CSVText.field("a\r\nb") == "\"a\r\nb\"")
    #expect(CSVText.field("x\0y") == "\"x\0y\"" && CSVText.field("q\"") == "\"q\"\"\"")
    #expect(CSVText.field("plain text") == "plain text")
  }

  @Test func markupTextLeavesNoTagOrInvalidCharacter() {
    #expect(MarkupText.escaped("</script>]]>\0'\"&") == "&lt;/script&gt;]]&gt; &#39;&quot;&amp;")
  }

  /// JSON strings read back as the text they hold (Python's json), and can sit in a script
  /// block or JavaScript as they are: no `<`, U+2028 or U+2029 left raw.
  @Test func jsonStringsReadBackAndStayInsideAScriptBlock() throws {
    let hostile = "</script><!--\u{2028}\u{2029}\0\u{1B}[31m\"\\\r\n\té\u{1F600}"
    let literal = JSONText.string(hostile)
    #expect(!literal.contains("<") && !literal.contains("\u{2028}") && !literal.contains("\u{2029}"), "\(literal)")
    #expect(!literal.unicodeScalars.contains { $0.value < 0x20 }, "\(literal)")
    let file = try TemporaryDirectory.make("mpf-json") + "/s.json"
    try FileSystem.writeAtomically(file, Array(literal.utf8))
    let decoded = try Subprocess.output(["python3", "-c", "import json,sys; sys.stdout.write(json.load(open(sys.argv[1])).encode('unicode_escape').decode())", file])
    #expect(decoded.status == 0)
    #expect(decoded.stdout == "</script><!--\\u2028\\u2029\\x00\\x1b[31m\"\\\\\\r\\n\\t\\xe9\\U0001f600", "\(decoded.stdout)")
  }
}
