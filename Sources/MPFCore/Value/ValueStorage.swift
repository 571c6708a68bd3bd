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
struct StringCodes: Sendable {
  private var narrow: [UInt8] = []
  private var wide: [UInt32]?

  init() {}

  init<S: Sequence>(_ codes: S) where S.Element == UInt32 {
    narrow.reserveCapacity(codes.underestimatedCount)
    for code in codes { append(code) }
  }

  var count: Int { wide?.count ?? narrow.count }

  subscript(position: Int) -> UInt32 {
    if let wide { return wide[position] }
    return UInt32(narrow[position])
  }

  mutating func reserveCapacity(_ capacity: Int) {
    if wide != nil { wide?.reserveCapacity(capacity) } else { narrow.reserveCapacity(capacity) }
  }

  mutating func append(_ code: UInt32) {
    if wide == nil, code <= UInt32(UInt8.max) {
      narrow.append(UInt8(code))
      return
    }
    if wide == nil {
      var all = [UInt32]()
      all.reserveCapacity(Swift.max(narrow.capacity, narrow.count + 1))
      all.append(contentsOf: narrow.lazy.map(UInt32.init))
      (wide, narrow) = (all, [])
    }
    wide?.append(code)
  }
}

/// The integers of a column: four bytes each while every one fits in 32 bits (a variable's
/// values, a count, most results), eight from the first that does not.
struct IntegerStore: Sendable {
  private var narrow: [Int32] = []
  private var wide: [Int64] = []
  private var isWide = false

  init() {}

  init<S: Sequence>(_ values: S) where S.Element == Int64 {
    narrow.reserveCapacity(values.underestimatedCount)
    for value in values { append(value) }
  }

  var count: Int { isWide ? wide.count : narrow.count }

  subscript(position: Int) -> Int64 { isWide ? wide[position] : Int64(narrow[position]) }

  mutating func reserveCapacity(_ capacity: Int) {
    if isWide { wide.reserveCapacity(capacity) } else { narrow.reserveCapacity(capacity) }
  }

  mutating func append(_ value: Int64) {
    if !isWide, let small = Int32(exactly: value) {
      narrow.append(small)
      return
    }
    if !isWide {
      wide.reserveCapacity(Swift.max(narrow.capacity, narrow.count + 1))
      wide.append(contentsOf: narrow.lazy.map(Int64.init))
      (narrow, isWide) = ([], true)
    }
    wide.append(value)
  }

  mutating func append(contentsOf other: IntegerStore) {
    if !isWide, !other.isWide {
      narrow += other.narrow
      return
    }
    reserveCapacity(count + other.count)
    for position in 0..<other.count { append(other[position]) }
  }

  /// The values at `positions`, in that order, as narrow as these.
  func gathering(_ positions: [Int]) -> IntegerStore {
    var out = IntegerStore()
    if isWide {
      (out.wide, out.isWide) = (positions.map { wide[$0] }, true)
    } else {
      out.narrow = positions.map { narrow[$0] }
    }
    return out
  }
}
