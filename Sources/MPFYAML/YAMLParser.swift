internal import CYAML

/// Reads YAML text into a `YAMLNode` tree through libyaml's event parser, keeping each node's
/// line so that errors can point at it. Anchors and aliases are refused (mpf never writes them).
package enum YAMLParser {
  /// The deepest nesting read (cluster files and experiment.yaml use fewer than ten levels).
  package static let maxDepth = 100

  /// - Throws: `YAMLError` with the file, line and libyaml's problem.
  package static func parse(_ text: String, file: String? = nil) throws -> YAMLNode? {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else { throw YAMLError(file: file, message: "cannot initialise the YAML parser") }
    defer { yaml_parser_delete(&parser) }
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { buffer in
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      var stack: [Frame] = []
      var root: YAMLNode?
      while true {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else {
          let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
          let context = parser.context.map { String(cString: $0) + ": " } ?? ""
          throw YAMLError(
            file: file, line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1,
            message: context + problem)
        }
        defer { yaml_event_delete(&event) }
        let line = Int(event.start_mark.line) + 1
        var finished: YAMLNode?
        switch event.type {
        case YAML_STREAM_END_EVENT: return root
        case YAML_SCALAR_EVENT:
          let scalar = event.data.scalar
          let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
          finished = .scalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, line: line)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
          // No file mpf reads nests deeply; a deep one would be slow to scan and deep to free.
          guard stack.count < maxDepth else {
            throw YAMLError(file: file, line: line, message: "nested more than \(maxDepth) levels deep; mpf's files never are")
          }
          stack.append(Frame(kind: event.type == YAML_SEQUENCE_START_EVENT ? .sequence : .mapping, line: line))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
          guard let frame = stack.popLast() else { break }
          finished = try frame.node(file: file)
        case YAML_ALIAS_EVENT:
          throw YAMLError(file: file, line: line, message: "aliases (*name) are not supported; write the value out")
        default: break
        }
        if let node = finished {
          if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
        }
      }
    }
  }

  private struct Frame {
    enum Kind { case sequence, mapping }
    var kind: Kind
    var line: Int
    var children: [YAMLNode] = []

    func node(file: String?) throws -> YAMLNode {
      if kind == .sequence { return .sequence(children, line: line) }
      var pairs: [(key: String, value: YAMLNode)] = []
      var index = 0
      while index + 1 < children.count {
        guard case .scalar(let key, _, let keyLine) = children[index] else {
          throw YAMLError(file: file, line: children[index].line, message: "mapping keys must be plain text")
        }
        if pairs.contains(where: { $0.key == key }) {
          throw YAMLError(file: file, line: keyLine, message: "duplicate key '\(key)'")
        }
        pairs.append((key, children[index + 1]))
        index += 2
      }
      return .mapping(pairs, line: line)
    }
  }
}
