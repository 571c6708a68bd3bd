/// The typed storage of a `ValueColumn`: its integers, its strings' codes and their pool.

/// The distinct strings of a column, each with its code.
struct StringPool: Sendable {
  var strings: [String] = []
  var lookup: [String: UInt32] = [:]

  mutating func code(_ string: String) -> UInt32 {
    if let code = lookup[string] { return code }
    let code = UInt32(strings.count)
    strings.append(string)
    lookup[string] = code
    return code
  }
}

/// The codes of a column of strings: one byte each while no code is above 255 (a status: ok,
/// failed, ...), four from the first that is.
typealias StringCodes = NarrowedIntegers<UInt8, UInt32>

/// The integers of a column: four bytes each while every one fits in 32 bits (a variable's
/// values, a count, most results), eight from the first that does not.
typealias IntegerStore = NarrowedIntegers<Int32, Int64>

/// `Wide` integers kept as `Narrow` ones while every one fits, as `Wide` from the first that
/// does not.
struct NarrowedIntegers<Narrow: FixedWidthInteger & Sendable, Wide: FixedWidthInteger & Sendable>: Sendable {
  private var narrow: [Narrow] = []
  private var wide: [Wide]?

  init() {}

  init<S: Sequence>(_ values: S) where S.Element == Wide {
    narrow.reserveCapacity(values.underestimatedCount)
    for value in values { append(value) }
  }

  var count: Int { wide?.count ?? narrow.count }

  subscript(position: Int) -> Wide {
    if let wide { return wide[position] }
    return Wide(narrow[position])
  }

  mutating func reserveCapacity(_ capacity: Int) {
    if wide != nil { wide?.reserveCapacity(capacity) } else { narrow.reserveCapacity(capacity) }
  }

  mutating func append(_ value: Wide) {
    if wide == nil, let small = Narrow(exactly: value) {
      narrow.append(small)
      return
    }
    if wide == nil {
      var all = [Wide]()
      all.reserveCapacity(Swift.max(narrow.capacity, narrow.count + 1))
      all.append(contentsOf: narrow.lazy.map { Wide($0) })
      (wide, narrow) = (all, [])
    }
    wide?.append(value)
  }

  mutating func append(contentsOf other: NarrowedIntegers) {
    if wide == nil, other.wide == nil {
      narrow += other.narrow
      return
    }
    reserveCapacity(count + other.count)
    for position in 0..<other.count { append(other[position]) }
  }

  /// The values at `positions`, in that order, as narrow as these.
  func gathering(_ positions: [Int]) -> NarrowedIntegers {
    var out = NarrowedIntegers()
    if let wide {
      out.wide = positions.map { wide[$0] }
    } else {
      out.narrow = positions.map { narrow[$0] }
    }
    return out
  }
}
