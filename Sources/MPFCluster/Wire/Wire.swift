package import MPFCore
/// The binary encoding of protocol messages: little-endian integers, length-prefixed strings,
/// and `LuaValue`s as tagged trees. Frames are a 4-byte little-endian length then the payload.
package struct WireWriter {
  private(set) var bytes: [UInt8] = []

  package mutating func byte(_ b: UInt8) { bytes.append(b) }

  package mutating func uint(_ v: UInt64) {
    var v = v
    while v >= 0x80 {
      bytes.append(UInt8(v & 0x7f) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  package mutating func int(_ v: Int) { uint(UInt64(bitPattern: Int64(v))) }

  package mutating func double(_ d: Double) {
    let bits = d.bitPattern
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
  }

  package mutating func string(_ s: String) {
    var s = s
    s.withUTF8 { utf8 in
      uint(UInt64(utf8.count))
      bytes.append(contentsOf: utf8)
    }
  }

  package mutating func data(_ data: [UInt8]) {
    uint(UInt64(data.count))
    bytes.append(contentsOf: data)
  }

  package mutating func strings(_ list: [String]) {
    uint(UInt64(list.count))
    list.forEach { string($0) }
  }

  package mutating func optionalString(_ s: String?) {
    byte(s == nil ? 0 : 1)
    if let s { string(s) }
  }

  package mutating func value(_ v: LuaValue) {
    switch v {
    case .nil: byte(0)
    case .boolean(let b): byte(b ? 2 : 1)
    case .integer(let i):
      byte(3)
      uint(UInt64(bitPattern: i))
    case .number(let d):
      byte(4)
      double(d)
    case .string(let s):
      byte(5)
      string(s)
    case .table(let t):
      byte(6)
      uint(UInt64(t.array.count))
      t.array.forEach { value($0) }
      uint(UInt64(t.fields.count))
      for (key, item) in t.fields {
        value(key)
        value(item)
      }
    case .opaque(let name):
      byte(7)
      string(name)
    case .object(let object):
      // A host value stays on its side: the other end sees what Lua's type() would say.
      byte(7)
      string(object.typeName)
    }
  }

  /// The payload with its length prefix, ready to write.
  package var frame: [UInt8] {
    let n = UInt32(bytes.count)
    return [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)] + bytes
  }
}

/// A malformed frame: the other side is not an mpf worker/controller of this version.
package struct WireError: Error, CustomStringConvertible {
  package var description: String
}

package struct WireReader {
  private let bytes: [UInt8]
  private var offset = 0

  package init(_ bytes: [UInt8]) { self.bytes = bytes }

  package var isAtEnd: Bool { offset == bytes.count }

  package mutating func byte() throws -> UInt8 {
    guard offset < bytes.count else { throw WireError(description: "truncated message") }
    defer { offset += 1 }
    return bytes[offset]
  }

  package mutating func uint() throws -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let b = try byte()
      guard shift < 64 else { throw WireError(description: "integer too long") }
      result |= UInt64(b & 0x7f) << shift
      if b < 0x80 { return result }
      shift += 7
    }
  }

  package mutating func int() throws -> Int { Int(truncatingIfNeeded: Int64(bitPattern: try uint())) }

  package mutating func count() throws -> Int {
    let n = try uint()
    guard n <= UInt64(bytes.count - offset) else { throw WireError(description: "length \(n) past the end") }
    return Int(n)
  }

  package mutating func double() throws -> Double {
    guard offset + 8 <= bytes.count else { throw WireError(description: "truncated number") }
    var bits: UInt64 = 0
    for i in 0..<8 { bits |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
    offset += 8
    return Double(bitPattern: bits)
  }

  package mutating func string() throws -> String {
    let n = try count()
    defer { offset += n }
    return String(decoding: bytes[offset..<offset + n], as: UTF8.self)
  }

  package mutating func data() throws -> [UInt8] {
    let n = try count()
    defer { offset += n }
    return Array(bytes[offset..<offset + n])
  }

  package mutating func strings() throws -> [String] {
    try (0..<count()).map { _ in try string() }
  }

  package mutating func optionalString() throws -> String? {
    try byte() == 0 ? nil : try string()
  }

  package mutating func value(depth: Int = 0) throws -> LuaValue {
    guard depth < 100 else { throw WireError(description: "value nested too deep") }
    switch try byte() {
    case 0: return .nil
    case 1: return .boolean(false)
    case 2: return .boolean(true)
    case 3: return .integer(Int64(bitPattern: try uint()))
    case 4: return .number(try double())
    case 5: return .string(try string())
    case 6:
      var table = LuaTable()
      table.array = try (0..<count()).map { _ in try value(depth: depth + 1) }
      for _ in 0..<(try count()) {
        let key = try value(depth: depth + 1)
        table.fields[key] = try value(depth: depth + 1)
      }
      return .table(table)
    case 7: return .opaque(try string())
    case let tag: throw WireError(description: "unknown value tag \(tag)")
    }
  }
}
