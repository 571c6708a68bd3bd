package import MPFText
/// A number with a unit, parsed from a result such as `"940 Kbits"` or `"1.2 ms"`, converted to
/// the unit's base (`940000 bits`, `0.0012 s`).
package struct Quantity: Sendable, Hashable {
  package var value: Double
  /// The base unit (`bits`, `bytes`, `s`, `bits/s`, ...), or the word as written when unknown.
  package var unit: String

  /// Parses `<number>` or `<number> [<prefix>]<unit>` with a unit mpf knows; nil for anything
  /// else, which then stays the string it is: a git hash `3c9e1f2`, a MAC address, `12:30`,
  /// `1,234` or `0x10` are not numbers with a unit.
  package init?(parsing text: String) {
    let trimmed = text.trimmed()
    var numberEnd = trimmed.startIndex
    for index in trimmed.indices {
      let c = trimmed[index]
      if c.isNumber || c == "." || c == "-" || c == "+" || c == "e" || c == "E" {
        // Only the exponent's 'e' belongs to the number: stop at 'e' followed by a letter.
        if c == "e" || c == "E" {
          let next = trimmed.index(after: index)
          if next == trimmed.endIndex || !(trimmed[next].isNumber || trimmed[next] == "-" || trimmed[next] == "+") { break }
        }
        numberEnd = trimmed.index(after: index)
      } else {
        break
      }
    }
    guard let number = Double(trimmed[..<numberEnd]) else { return nil }
    let unitText = trimmed[numberEnd...].trimmed()
    guard !unitText.contains(" ") else { return nil }
    if unitText.isEmpty {
      self.init(value: number, unit: "")
      return
    }
    guard let (factor, base) = Quantity.decompose(unitText) else { return nil }
    self.init(value: Quantity.scale(number, by: factor), unit: base)
  }

  /// The exact whole number a result's text holds, `"9007199254740993"` or
  /// `"9007199254740993 packets"` (a unit whose factor is 1), when it fits in Int64: a Double
  /// would round it (to 9007199254740992). Nil for anything else, which then goes by `value`.
  package static func wholeNumber(parsing text: String) -> Int64? {
    let trimmed = text.trimmed()
    let digitsStart = trimmed.first == "-" || trimmed.first == "+" ? trimmed.index(after: trimmed.startIndex) : trimmed.startIndex
    let digitsEnd = trimmed[digitsStart...].firstIndex { !("0"..."9").contains($0) } ?? trimmed.endIndex
    guard digitsEnd > digitsStart, let number = Int64(trimmed[..<digitsEnd]) else { return nil }
    let unitText = trimmed[digitsEnd...].trimmed()
    guard unitText.isEmpty || decompose(unitText)?.0 == 1 else { return nil }
    return number
  }

  package init(value: Double, unit: String) {
    self.value = value
    self.unit = unit
  }

  private static let bases: [String: String] = [
    "bits": "bits", "bit": "bits", "b": "bits",
    "bytes": "bytes", "byte": "bytes", "B": "bytes", "Bytes": "bytes",
    "bps": "bits/s", "bit/s": "bits/s", "bits/s": "bits/s", "bits/sec": "bits/s", "b/s": "bits/s",
    "B/s": "bytes/s", "Bytes/s": "bytes/s", "bytes/s": "bytes/s", "Bytes/sec": "bytes/s", "Bps": "bytes/s",
    "s": "s", "sec": "s", "Hz": "Hz", "pps": "packets/s", "W": "W", "J": "J", "V": "V", "A": "A",
    // Things counted, and their rates.
    "packets": "packets", "packet": "packets", "pkts": "packets", "packets/s": "packets/s", "pkts/s": "packets/s",
    "ops": "ops", "op": "ops", "ops/s": "ops/s", "requests": "requests", "reqs": "requests", "req/s": "requests/s",
    "requests/s": "requests/s", "rps": "requests/s", "messages": "messages", "msgs": "messages", "msgs/s": "messages/s",
    "connections": "connections", "conns": "connections", "flows": "flows", "errors": "errors", "drops": "drops",
    "retransmits": "retransmits", "cycles": "cycles", "instructions": "instructions",
  ]

  private static let plainUnits: [String: (Double, String)] = [
    "%": (1, "%"), "min": (60, "s"), "h": (3600, "s"),
  ]

  private static let prefixes: [(String, Double)] = [
    ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
    ("n", 1e-9), ("u", 1e-6), ("µ", 1e-6), ("m", 1e-3), ("k", 1e3), ("K", 1e3), ("M", 1e6), ("G", 1e9),
    ("T", 1e12), ("P", 1e15),
  ]

  /// `number × factor`, dividing by an exact power of ten for the small prefixes: 5 µs is
  /// 5 / 1e6 = 5e-06, where 5 × 1e-6 would give 4.9999999999999996e-06.
  package static func scale(_ number: Double, by factor: Double) -> Double {
    guard factor < 1, factor > 0 else { return number * factor }
    return number / (1 / factor).rounded()
  }

  /// `Kbits` → (1000, "bits"); `ms` → (0.001, "s"); nil for a unit it does not know.
  package static func decompose(_ unit: String) -> (Double, String)? {
    if let plain = plainUnits[unit] { return plain }
    if let base = bases[unit] { return (1, base) }
    for (prefix, factor) in prefixes where unit.hasPrefix(prefix) {
      if let base = bases[String(unit.dropFirst(prefix.count))] { return (factor, base) }
    }
    return nil
  }
}
