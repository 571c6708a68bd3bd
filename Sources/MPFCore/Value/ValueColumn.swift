/// A column of Lua values kept by type: integers, floats, booleans as plain arrays, strings as
/// codes into the column's own list of distinct strings, and anything else (a mix of types,
/// tables) as `LuaValue`s. Missing values (`nil`) are a bitmap beside a typed array.
///
/// It reads like `[LuaValue]` (a random-access collection of `LuaValue`), at a fraction of the
/// memory: 4 or 8 bytes an integer, 8 a float, 1 or 4 a string, where a `LuaValue` takes 24 and a `String` 16 plus
/// its text; a column of one value repeated (a table's repetition when every point ran once) is
/// that value and a count until another arrives. Results and dataframes of a 100 000-run
/// experiment are held in these.
package struct ValueColumn: Sendable, RandomAccessCollection, ExpressibleByArrayLiteral, Hashable {
  private enum Kind: UInt8, Sendable { case integers, numbers, booleans, strings, values }

  private var kind = Kind.integers
  private var integers = IntegerStore()
  private var numbers: [Double] = []
  private var booleans: [Bool] = []
  private var codes = StringCodes()
  private var pool = StringPool()
  private var values: [LuaValue] = []
  /// Bit i set: row i holds nil (the typed array holds a placeholder there).
  private var missing: [UInt64] = []
  /// Set while every row holds this one value (none nil), kept without the typed array: what
  /// `init(repeating:count:)` makes; the first other value makes the array.
  private var constant: LuaValue?
  /// How many rows hold something else than nil (while none does, the typed arrays are empty:
  /// a column of nils costs a bit a row).
  private var present = 0
  /// The capacity asked for, given to the typed array once a first value arrives.
  private var reserved = 0
  package private(set) var count = 0

  package init() {}

  package init<S: Sequence>(_ values: S) where S.Element == LuaValue {
    reserveCapacity(values.underestimatedCount)
    for value in values { append(value) }
  }

  package init(arrayLiteral elements: LuaValue...) { self.init(elements) }

  /// A column of integers, none missing.
  package init(integers: [Int64]) {
    self.integers = IntegerStore(integers)
    (count, present, kind) = (integers.count, integers.count, .integers)
  }

  /// A column of strings given as positions in `strings` (distinct), none missing.
  package init<C: Collection>(codes: C, strings: [String]) where C.Element == UInt32 {
    for string in strings { _ = pool.code(string) }
    self.codes = StringCodes(codes)
    (count, present, kind) = (codes.count, codes.count, .strings)
  }

  /// `count` times `value`: nil is only the bits that say so, a number, boolean or string the
  /// value and the count.
  package init(repeating value: LuaValue, count: Int) {
    self.init()
    switch value {
    case .nil:
      self.count = count
      missing = Array(repeating: ~0, count: count / 64)
      if count % 64 != 0 { missing.append((1 << UInt64(count % 64)) - 1) }
    case .integer, .number, .boolean, .string:
      guard count > 0 else { return }
      retype(for: value)
      (constant, self.count, present) = (value, count, count)
    default:
      reserveCapacity(count)
      for _ in 0..<count { append(value) }
    }
  }

  package var startIndex: Int { 0 }
  package var endIndex: Int { count }

  package subscript(position: Int) -> LuaValue {
    if let constant {
      precondition(position >= 0 && position < count, "ValueColumn index out of range")
      return constant
    }
    if isMissing(position) { return .nil }
    switch kind {
    case .integers: return .integer(integers[position])
    case .numbers: return .number(numbers[position])
    case .booleans: return .boolean(booleans[position])
    case .strings: return .string(pool.strings[Int(codes[position])])
    case .values: return values[position]
    }
  }

  /// The value at `position` as a Double when it is a number, without making a `LuaValue`.
  package func number(at position: Int) -> Double? {
    if let constant { return constant.doubleValue }
    if isMissing(position) { return nil }
    switch kind {
    case .integers: return Double(integers[position])
    case .numbers: return numbers[position]
    case .values: return values[position].doubleValue
    case .booleans, .strings: return nil
    }
  }

  /// The smallest and largest value of a column of integers (and nils), nil for any other.
  package var integerBounds: (min: Int64, max: Int64)? {
    guard kind == .integers, present > 0 else { return nil }
    if case .integer(let value)? = constant { return (value, value) }
    var (low, high) = (Int64.max, Int64.min)
    for position in 0..<count where !isMissing(position) {
      low = Swift.min(low, integers[position])
      high = Swift.max(high, integers[position])
    }
    return (low, high)
  }

  /// The integer at `position` of a column of integers, nil where it holds nil.
  package func integer(at position: Int) -> Int64? {
    guard kind == .integers, !isMissing(position) else { return nil }
    if case .integer(let value)? = constant { return value }
    return integers[position]
  }

  /// Whether every row holds one value, kept once (what the tests check).
  package var isRepeated: Bool { constant != nil }

  /// Whether row `position` holds nil.
  package func isMissing(_ position: Int) -> Bool {
    let word = position >> 6
    return word < missing.count && missing[word] & (1 << UInt64(position & 63)) != 0
  }

  /// The distinct strings of a column of strings (each once, in order of first appearance),
  /// and each row's position among them (-1 where the row holds nil); nil when the column holds
  /// anything else than strings and nils.
  package var stringCodes: (strings: [String], codes: [Int32])? {
    distinctStrings.map { ($0, (0..<count).map(stringCode(at:))) }
  }

  /// `stringCodes.strings`, without the array of every row's code: each read alone by
  /// `stringCode(at:)` (a status column of 100 000 runs made 0.4 MB of codes to be read once).
  package var distinctStrings: [String]? {
    guard kind == .strings || present == 0 else { return nil }
    if case .string(let string)? = constant { return [string] }
    return pool.strings
  }

  /// `stringCodes.codes[position]` of a column of strings (and nils).
  package func stringCode(at position: Int) -> Int32 {
    if isMissing(position) { return -1 }
    return constant != nil ? 0 : Int32(codes[position])
  }

  package mutating func reserveCapacity(_ capacity: Int) {
    reserved = Swift.max(reserved, capacity)
    if present > 0, constant == nil { reserveTyped(capacity) }
  }

  private mutating func reserveTyped(_ capacity: Int) {
    switch kind {
    case .integers: integers.reserveCapacity(capacity)
    case .numbers: numbers.reserveCapacity(capacity)
    case .booleans: booleans.reserveCapacity(capacity)
    case .strings: codes.reserveCapacity(capacity)
    case .values: values.reserveCapacity(capacity)
    }
  }

  package mutating func append(_ value: LuaValue) {
    if let constant {
      if value.isIdentical(to: constant) {
        (count, present) = (count + 1, present + 1)
        return
      }
      spell()
    }
    if present == 0, value != .nil { retype(for: value) }
    switch (kind, value) {
    case (_, .nil):
      setMissing(count)
      guard present > 0 else {
        count += 1
        return
      }
      switch kind {
      case .integers: integers.append(0)
      case .numbers: numbers.append(0)
      case .booleans: booleans.append(false)
      case .strings: codes.append(0)
      case .values: values.append(.nil)
      }
      count += 1
      return
    case (.integers, .integer(let i)): integers.append(i)
    case (.numbers, .number(let d)): numbers.append(d)
    case (.booleans, .boolean(let b)): booleans.append(b)
    case (.strings, .string(let s)): codes.append(pool.code(s))
    case (.values, _): values.append(value)
    default:
      generalize()
      values.append(value)
    }
    present += 1
    count += 1
  }

  package mutating func append(contentsOf other: ValueColumn) {
    guard !isEmpty else {
      self = other
      return
    }
    reserveCapacity(count + other.count)
    if constant != nil { spell() }
    if other.present == 0 || other.constant != nil || (present > 0 && kind != other.kind) {
      for value in other { append(value) }
      return
    }
    if present == 0 { retype(for: other.first { $0 != .nil } ?? .nil) }
    // The same type on both sides: whole arrays.
    switch kind {
    case .integers: integers.append(contentsOf: other.integers)
    case .numbers: numbers += other.numbers
    case .booleans: booleans += other.booleans
    case .strings:
      let recoded = other.pool.strings.map { pool.code($0) }
      for position in 0..<other.count { codes.append(recoded[Int(other.codes[position])]) }
    case .values: values += other.values
    }
    if !other.missing.isEmpty {
      for position in 0..<other.count where other.isMissing(position) { setMissing(count + position) }
    }
    present += other.present
    count += other.count
  }

  /// The rows at `positions`, in that order.
  package func gathering(_ positions: [Int]) -> ValueColumn {
    if present == 0 { return ValueColumn(repeating: .nil, count: positions.count) }
    if let constant { return ValueColumn(repeating: constant, count: positions.count) }
    var out = ValueColumn()
    out.kind = kind
    switch kind {
    case .integers: out.integers = integers.gathering(positions)
    case .numbers: out.numbers = positions.map { numbers[$0] }
    case .booleans: out.booleans = positions.map { booleans[$0] }
    case .strings:
      out.pool = pool
      out.codes = StringCodes(positions.lazy.map { codes[$0] })
    case .values: out.values = positions.map { values[$0] }
    }
    out.count = positions.count
    if missing.isEmpty {
      out.present = positions.count
    } else {
      for (to, from) in positions.enumerated() {
        if isMissing(from) { out.setMissing(to) } else { out.present += 1 }
      }
    }
    return out
  }

  /// Each value mapped through `transform`, which a column of strings calls once per distinct
  /// string (a result `"5 Gbit/s"` is parsed once, however many runs returned it).
  /// Whether every value is an integer or nil (what a result's base units leave as it is).
  package var holdsIntegersOnly: Bool { kind == .integers }

  package func mapValues(_ transform: (LuaValue) -> LuaValue) -> ValueColumn {
    if let constant { return ValueColumn(repeating: transform(constant), count: count) }
    if kind == .strings {
      let mapped = pool.strings.map { transform(.string($0)) }
      var out = ValueColumn()
      out.reserveCapacity(count)
      for position in 0..<count { out.append(isMissing(position) ? .nil : mapped[Int(codes[position])]) }
      return out
    }
    var out = ValueColumn()
    out.reserveCapacity(count)
    for value in self { out.append(value == .nil ? .nil : transform(value)) }
    return out
  }

  package static func == (a: ValueColumn, b: ValueColumn) -> Bool {
    a.count == b.count && a.elementsEqual(b)
  }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(count)
    for value in self { hasher.combine(value) }
  }

  /// Starts the typed array over for the first value that is not nil (every row before is nil).
  private mutating func retype(for value: LuaValue) {
    let newKind: Kind =
      switch value {
      case .integer: .integers
      case .number: .numbers
      case .boolean: .booleans
      case .string: .strings
      default: .values
      }
    let placeholders = count
    (integers, numbers, booleans, codes, values) = (IntegerStore(), [], [], StringCodes(), [])
    kind = newKind
    switch kind {
    case .integers: integers = IntegerStore(repeatElement(0, count: placeholders))
    case .numbers: numbers = Array(repeating: 0, count: placeholders)
    case .booleans: booleans = Array(repeating: false, count: placeholders)
    case .strings: codes = StringCodes(repeatElement(0, count: placeholders))
    case .values: values = Array(repeating: .nil, count: placeholders)
    }
    reserveTyped(reserved)
  }

  /// Turns a typed column into one of `LuaValue`s (a value of another type arrived).
  private mutating func generalize() {
    let all = Array(self)
    (integers, numbers, booleans, codes, pool) = (IntegerStore(), [], [], StringCodes(), StringPool())
    kind = .values
    values = all
    values.reserveCapacity(all.count + 1)
  }

  /// Makes the typed array of a column that held one value (another arrives).
  private mutating func spell() {
    guard let value = constant else { return }
    var out = ValueColumn()
    out.reserveCapacity(Swift.max(reserved, count + 1))
    for _ in 0..<count { out.append(value) }
    self = out
  }

  private mutating func setMissing(_ position: Int) {
    let word = position >> 6
    if word >= missing.count { missing.append(contentsOf: repeatElement(0, count: word - missing.count + 1)) }
    missing[word] |= 1 << UInt64(position & 63)
  }
}

extension LuaValue {
  /// The same value to the bit (0.0 and -0.0 differ, a NaN is itself): what a column of one
  /// value may go on holding without its array.
  fileprivate func isIdentical(to other: LuaValue) -> Bool {
    if case .number(let a) = self, case .number(let b) = other { return a.bitPattern == b.bitPattern }
    return self == other
  }
}
