/// Numbers appended one by one, kept as a rule (the first and a fixed step) while each one is
/// exactly, to the bit, what the rule gives at its position, and as an array from the first
/// that is not.
///
/// A line's x: the values of a sweep (1, 2, ... 100 000) in order are a rule, where an array of
/// them was 0.8 MB beside the marks' y.
struct SteppedNumbers: Sendable, RandomAccessCollection {
  private var first = 0.0
  private var step = 0.0
  /// The numbers, once they follow no rule (nil while they do).
  private var stored: [Double]?
  /// The capacity asked for, given to the array once one is made.
  private var reserved = 0
  private(set) var count = 0

  init() {}

  init<S: Sequence>(_ numbers: S) where S.Element == Double {
    for number in numbers { append(number) }
  }

  var startIndex: Int { 0 }
  var endIndex: Int { count }

  subscript(position: Int) -> Double {
    precondition(position >= 0 && position < count, "SteppedNumbers index out of range")
    if let stored { return stored[position] }
    return ruled(position)
  }

  /// Whether the numbers are held as a rule rather than an array (what the tests check).
  var isRule: Bool { stored == nil }

  mutating func reserveCapacity(_ capacity: Int) {
    reserved = Swift.max(reserved, capacity)
    stored?.reserveCapacity(capacity)
  }

  mutating func append(_ number: Double) {
    defer { count += 1 }
    if stored != nil {
      stored?.append(number)
      return
    }
    if count == 0 { first = number }
    if count == 1 { step = number - first }
    if ruled(count).bitPattern != number.bitPattern {
      var numbers = Array(self)
      numbers.reserveCapacity(Swift.max(reserved, count + 1))
      numbers.append(number)
      stored = numbers
    }
  }

  private func ruled(_ position: Int) -> Double { position == 0 ? first : first + Double(position) * step }
}
