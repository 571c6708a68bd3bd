internal import CYAML

/// Writes `YAMLNode`s as YAML text through libyaml's emitter.
package enum YAMLEmitter {
  /// The YAML text of one document holding `node`, without `---`/`...` markers.
  ///
  /// - Throws: `YAMLError` if libyaml refuses an event (never for trees built here).
  package static func emit(_ node: YAMLNode) throws -> String {
    let output = EmitterOutput()
    var emitter = yaml_emitter_t()
    guard yaml_emitter_initialize(&emitter) == 1 else { throw YAMLError(message: "cannot initialise the YAML emitter") }
    defer { yaml_emitter_delete(&emitter) }
    yaml_emitter_set_unicode(&emitter, 1)
    yaml_emitter_set_width(&emitter, -1)
    yaml_emitter_set_indent(&emitter, 2)
    let box = Unmanaged.passUnretained(output).toOpaque()
    yaml_emitter_set_output(&emitter, { data, buffer, size in
      guard let data, let buffer else { return 0 }
      Unmanaged<EmitterOutput>.fromOpaque(data).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
      return 1
    }, box)
    var event = yaml_event_t()
    func send(_ ok: Int32) throws {
      guard ok == 1, yaml_emitter_emit(&emitter, &event) == 1 else {
        let problem = emitter.problem.map { String(cString: $0) } ?? "unknown problem"
        throw YAMLError(message: "YAML emitter: \(problem)")
      }
    }
    try send(yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING))
    try send(yaml_document_start_event_initialize(&event, nil, nil, nil, 1))
    try emit(node, output: output, send: { try send($0(&event)) })
    try send(yaml_document_end_event_initialize(&event, 1))
    try send(yaml_stream_end_event_initialize(&event))
    guard yaml_emitter_flush(&emitter) == 1 else { throw YAMLError(message: "YAML emitter: cannot flush") }
    return joined(output)
  }

  /// The emitted text with each flow text in place of its placeholder, made in one pass: a
  /// 100 000-run header's run order and values (megabytes) are copied once, where replacing
  /// them one after another copied the whole document per flow text.
  private static func joined(_ output: EmitterOutput) -> String {
    let bytes = output.bytes
    guard !output.flowTexts.isEmpty else { return String(decoding: bytes, as: UTF8.self) }
    var text = ""
    text.reserveCapacity(bytes.count + output.flowTexts.reduce(0) { $0 + $1.text.utf8.count })
    var from = 0
    for (placeholder, flow) in output.flowTexts {
      guard let at = firstIndex(of: Array(placeholder.utf8), in: bytes, from: from) else { continue }
      text += String(decoding: bytes[from..<at], as: UTF8.self)
      text += flow
      from = at + placeholder.utf8.count
    }
    text += String(decoding: bytes[from...], as: UTF8.self)
    return text
  }

  /// Where `key` first occurs in `bytes` at or after `from`.
  private static func firstIndex(of key: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
    guard let head = key.first, bytes.count >= key.count else { return nil }
    var at = from
    while at + key.count <= bytes.count {
      if bytes[at] == head, bytes[at..<at + key.count].elementsEqual(key) { return at }
      at += 1
    }
    return nil
  }

  private static func emit(
    _ node: YAMLNode, output: EmitterOutput, send: ((UnsafeMutablePointer<yaml_event_t>) -> Int32) throws -> Void
  ) throws {
    switch node {
    case .scalar(var text, var plain, _):
      if plain, text.hasPrefix(YAMLNode.flowTextMarker) {
        let placeholder = "mpf-flow-\(output.token)-\(output.flowTexts.count)"
        output.flowTexts.append((placeholder, text.dropFirst(YAMLNode.flowTextMarker.count)))
        (text, plain) = (placeholder, true)
      }
      var bytes = Array(text.utf8)
      // plain: libyaml writes it plain when it can, quoted when it must (": ", leading "-").
      // not plain: a string that would read as a number/boolean/null, always double-quoted.
      let style = plain ? YAML_ANY_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE
      try bytes.withUnsafeMutableBufferPointer { buffer in
        try send { event in
          yaml_scalar_event_initialize(
            event, nil, nil, buffer.baseAddress, Int32(buffer.count), plain ? 1 : 0, 1, style)
        }
      }
    case .sequence(let items, let flow, _):
      try send { yaml_sequence_start_event_initialize($0, nil, nil, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE) }
      for item in items { try emit(item, output: output, send: send) }
      try send { yaml_sequence_end_event_initialize($0) }
    case .mapping(let pairs, let flow, _):
      try send { yaml_mapping_start_event_initialize($0, nil, nil, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE) }
      for pair in pairs {
        try emit(.string(pair.key), output: output, send: send)
        try emit(pair.value, output: output, send: send)
      }
      try send { yaml_mapping_end_event_initialize($0) }
    }
  }
}

/// What the emitter writes into.
private final class EmitterOutput {
  var bytes: [UInt8] = []
  /// `YAMLNode.flowText`s, written as placeholders, then replaced.
  var flowTexts: [(placeholder: String, text: Substring)] = []
  let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
}

/// A YAML text that libyaml could not parse or emit; `line` is 1-based (0 when unknown).
package struct YAMLError: Error, Sendable, CustomStringConvertible {
  package var file: String?
  package var line: Int = 0
  package var column: Int = 0
  package var message: String

  package var description: String {
    let place = [file, line > 0 ? String(line) : nil, column > 0 ? String(column) : nil].compactMap { $0 }.joined(separator: ":")
    return place.isEmpty ? "error: \(message)" : "\(place): error: \(message)"
  }
}
