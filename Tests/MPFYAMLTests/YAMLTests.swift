import Testing
import MPFCore
import MPFYAML


@Suite struct YAMLTests {
  @Test func stringsThatLookTypedAreQuotedAndReadBackAsStrings() throws {
    let node = YAMLNode.mapping([
      ("one", .string("1")), ("yes", .string("true")), ("empty", .string("")), ("n", .int(1)),
      ("colon", .string("a: b")), ("multi", .string("line1\nline2")), ("dash", .string("-Z")),
    ])
    let text = try YAMLEmitter.emit(node)
    let back = try #require(try YAMLParser.parse(text))
    #expect(back["one"]?.luaValue == "1")
    #expect(back["yes"]?.luaValue == "true")
    #expect(back["empty"]?.luaValue == "")
    #expect(back["n"]?.luaValue == 1)
    #expect(back["colon"]?.luaValue == "a: b")
    #expect(back["multi"]?.luaValue == "line1\nline2")
    #expect(back["dash"]?.luaValue == "-Z")
  }

  /// 40 000 nested brackets overflowed the stack; 100 000 unclosed ones took quadratic time.
  @Test func deepNestingIsRefusedAtItsLine() throws {
    let deep = "machines:\n  - " + String(repeating: "[", count: 40_000) + String(repeating: "]", count: 40_000) + "\n"
    do {
      _ = try YAMLParser.parse(deep, file: "c.yaml")
      Issue.record("40 000 levels were accepted")
    } catch let error as YAMLError {
      #expect(error.line == 2)
      #expect(error.message.contains("nested more than 100 levels"))
    }
    #expect(throws: YAMLError.self) { try YAMLParser.parse(String(repeating: "{a: ", count: 100_000)) }
    #expect(throws: YAMLError.self) { try YAMLParser.parse(String(repeating: "[", count: 100_000)) }
    // Block nesting too.
    let blocks = (0..<150).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
    #expect(throws: YAMLError.self) { try YAMLParser.parse(blocks) }
    // What mpf's files need still reads.
    let fine = (0..<20).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
    #expect(try YAMLParser.parse(fine) != nil)
  }

  @Test func parseErrorsNameFileAndLine() throws {
    let error = try #require(throws: YAMLError.self) { try YAMLParser.parse("a: 1\nb: [1, 2\nc: 3\n", file: "c.yaml") }
    #expect(error.file == "c.yaml")
    #expect(error.line >= 3)
    #expect(error.description.hasPrefix("c.yaml:"))
    let duplicate = try #require(throws: YAMLError.self) { try YAMLParser.parse("a: 1\na: 2\n", file: "d.yaml") }
    #expect(duplicate.description == "d.yaml:2: error: duplicate key 'a'")
  }

  @Test func luaValuesMapToYAML() throws {
    let value = LuaValue.record(["list": .list([1, 2.5, "x"]), "flag": false])
    let text = try YAMLEmitter.emit(.value(value))
    #expect(text == "{flag: false, list: [1, 2.5, x]}\n")
    #expect(try YAMLParser.parse(text)?.luaValue == value)
  }

  /// Long number lists written as text read back exactly as the same list of nodes would.
  @Test func flowTextReadsBackLikeNodes() throws {
    let values: [LuaValue] = [1, -3, 0, 2.5, 1e-9, -1e300, 100000, 0.1]
    let fast = try #require(YAMLNode.numbers(values))
    #expect(YAMLNode.numbers([1, "x"]) == nil)
    #expect(YAMLNode.numbers([.number(.nan)]) == nil)
    let text = try YAMLEmitter.emit(.mapping([
      ("values", fast), ("order", .flowText("[[3, 0], [1, 2]]")), ("after", .string("mpf-flow-x-0")),
    ]))
    #expect(!text.contains("\u{0}"))
    let read = try #require(try YAMLParser.parse(text))
    #expect(read["values"]?.items.map(\.luaValue) == values)
    #expect(read["order"]?.items.map { $0.items.compactMap(\.intValue) } == [[3, 0], [1, 2]])
    #expect(read["after"]?.string == "mpf-flow-x-0")
  }

  /// Several flow texts, among strings of other scripts and one that names a placeholder, each
  /// land in their own place (they are put in one pass over the emitted text).
  @Test func flowTextsLandInTheirPlaces() throws {
    let big = "[" + (0..<20_000).map { "[\($0), 0]" }.joined(separator: ", ") + "]"
    let text = try YAMLEmitter.emit(.mapping([
      ("名前", .string("é mpf-flow-0-0 ✓")), ("a", .flowText("[1, 2]")), ("nested", .mapping([("b", .flowText("[]"))])),
      ("order", .flowText(big)), ("z", .string("fin")),
    ]))
    let read = try #require(try YAMLParser.parse(text))
    #expect(read["名前"]?.string == "é mpf-flow-0-0 ✓")
    #expect(read["a"]?.items.compactMap(\.intValue) == [1, 2])
    #expect(read["nested"]?["b"]?.items.count == 0)
    #expect(read["order"]?.items.count == 20_000)
    #expect(read["order"]?.items.last?.items.compactMap(\.intValue) == [19_999, 0])
    #expect(read["z"]?.string == "fin")
  }

  /// A string that began like the emitter's flow-text marker was written into the YAML as is.
  @Test func yamlStringsLikeTheFlowMarkerAreQuoted() throws {
    let hostile = "\u{0}flow:[1]\nruns: []"
    let text = try YAMLEmitter.emit(.mapping([("k", .string(hostile))]))
    #expect(try YAMLParser.parse(text)?["k"]?.string == hostile, "\(text)")
  }
}
