/// 32-bit integers appended one by one, kept as a rule while they follow one (the same value
/// each time, or a count by a fixed step: a run's index, its repetition) and as an array from
/// the first value that breaks it.
///
/// The run index and repetition of every run were 8 bytes a run in the records and 8 in the
/// plan (1.6 MB at 100 000 runs); an experiment's runs usually count up by one and share a
/// repetition, so these cost nothing until a run does otherwise (a resume, repetitions).
package struct CompactIntegers: Sendable, RandomAccessCollection, Equatable, ExpressibleByArrayLiteral {
  private var first: Int64 = 0
  private var step: Int64 = 0
  /// The values, once they follow no rule (nil while they do).
  private var stored: [Int32]?
  /// The capacity asked for, given to the array once one is made.
  private var reserved = 0
  package private(set) var count = 0

  package init() {}

  package init<S: Sequence>(_ values: S) where S.Element == Int32 {
    for value in values { append(value) }
  }

  package init(arrayLiteral elements: Int32...) { self.init(elements) }

  package var startIndex: Int { 0 }
  package var endIndex: Int { count }

  package subscript(position: Int) -> Int32 {
    precondition(position >= 0 && position < count, "CompactIntegers index out of range")
    if let stored { return stored[position] }
    return Int32(truncatingIfNeeded: first + Int64(position) * step)
  }

  /// Whether the values are held as a rule rather than an array (what the tests check).
  package var isRule: Bool { stored == nil }

  /// The one value every position holds, when there is one and it is kept as a rule (a
  /// repetition when each point ran once); nil when empty or held otherwise.
  package var constant: Int32? { stored == nil && count > 0 && (count == 1 || step == 0) ? Int32(truncatingIfNeeded: first) : nil }

  package mutating func reserveCapacity(_ capacity: Int) {
    reserved = Swift.max(reserved, capacity)
    stored?.reserveCapacity(capacity)
  }

  package mutating func append(_ value: Int32) {
    defer { count += 1 }
    if stored != nil {
      stored?.append(value)
      return
    }
    switch count {
    case 0: first = Int64(value)
    case 1: step = Int64(value) - first
    default:
      // Every value so far is first + position * step, each within Int32 (they were given).
      if first + Int64(count) * step != Int64(value) {
        var values = Array(self)
        values.reserveCapacity(Swift.max(reserved, count + 1))
        values.append(value)
        stored = values
      }
    }
  }

  /// Equal when they hold the same values, however each keeps them.
  package static func == (a: CompactIntegers, b: CompactIntegers) -> Bool { a.elementsEqual(b) }

  /// The values at `positions`, in that order.
  package func gathering(_ positions: [Int]) -> CompactIntegers {
    CompactIntegers(positions.lazy.map { self[$0] })
  }
}
