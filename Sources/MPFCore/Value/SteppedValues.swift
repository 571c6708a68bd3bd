/// Values appended one by one, kept as a rule (the first and a fixed step) while each one is
/// exactly, to the bit, what the rule gives at its position, and as an array from the first
/// that is not. `CompactIntegers` (run indices, repetitions, rows) and a line's x
/// (`SteppedNumbers`) are these: an experiment's runs count up by one and a sweep's x go up by
/// a step, so they cost nothing until something does otherwise.
package struct SteppedValues<Element: Steppable>: Sendable, RandomAccessCollection {
  private var first = Element.zero
  private var step = Element.zero
  /// The values, once they follow no rule (nil while they do).
  private var stored: [Element]?
  /// The capacity asked for, given to the array once one is made.
  private var reserved = 0
  package private(set) var count = 0

  package init() {}

  package init<S: Sequence>(_ values: S) where S.Element == Element {
    for value in values { append(value) }
  }

  package var startIndex: Int { 0 }
  package var endIndex: Int { count }

  package subscript(position: Int) -> Element {
    precondition(position >= 0 && position < count, "SteppedValues index out of range")
    if let stored { return stored[position] }
    return first.advanced(by: step, times: position)
  }

  /// Whether the values are held as a rule rather than an array (what the tests check).
  package var isRule: Bool { stored == nil }

  /// The one value every position holds, when there is one and it is kept as a rule (a
  /// repetition when each point ran once); nil when empty or held otherwise.
  package var constant: Element? { stored == nil && count > 0 && (count == 1 || step.isIdentical(to: .zero)) ? first : nil }

  package mutating func reserveCapacity(_ capacity: Int) {
    reserved = Swift.max(reserved, capacity)
    stored?.reserveCapacity(capacity)
  }

  package mutating func append(_ value: Element) {
    defer { count += 1 }
    if stored != nil {
      stored?.append(value)
      return
    }
    if count == 0 { first = value }
    if count == 1 { step = first.step(to: value) }
    if !first.advanced(by: step, times: count).isIdentical(to: value) {
      var values = Array(self)
      values.reserveCapacity(Swift.max(reserved, count + 1))
      values.append(value)
      stored = values
    }
  }

  /// The values at `positions`, in that order.
  package func gathering(_ positions: [Int]) -> SteppedValues {
    SteppedValues(positions.lazy.map { self[$0] })
  }
}

extension SteppedValues: Equatable where Element: Equatable {
  /// Equal when they hold the same values, however each keeps them.
  package static func == (a: SteppedValues, b: SteppedValues) -> Bool { a.elementsEqual(b) }
}

extension SteppedValues: ExpressibleByArrayLiteral {
  package init(arrayLiteral elements: Element...) { self.init(elements) }
}

/// What a `SteppedValues` can hold: a value a first one and a fixed step give back exactly.
package protocol Steppable: Sendable {
  static var zero: Self { get }
  /// The step from `self` to `next`.
  func step(to next: Self) -> Self
  /// The value `times` steps of `step` after `self`.
  func advanced(by step: Self, times: Int) -> Self
  /// The same value to the bit (0.0 and -0.0 differ, a NaN is itself).
  func isIdentical(to other: Self) -> Bool
}

extension Int32: Steppable {
  // Wrapping arithmetic: the rule's values are the given ones modulo 2^32, which they are.
  package func step(to next: Int32) -> Int32 { next &- self }
  package func advanced(by step: Int32, times: Int) -> Int32 { self &+ Int32(truncatingIfNeeded: times) &* step }
  package func isIdentical(to other: Int32) -> Bool { self == other }
}

extension Double: Steppable {
  package func step(to next: Double) -> Double { next - self }
  package func advanced(by step: Double, times: Int) -> Double { times == 0 ? self : self + Double(times) * step }
  package func isIdentical(to other: Double) -> Bool { bitPattern == other.bitPattern }
}
