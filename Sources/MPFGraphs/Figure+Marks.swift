internal import MPFCore

/// A line's x: a sweep's values (1, 2, ... 100 000) in order are a rule, where an array of
/// them was 0.8 MB beside the marks' y.
typealias SteppedNumbers = SteppedValues<Double>

extension Figure {
  /// A panel's marks, kept by column: x and y for each, and the rest (series, runs, interval,
  /// cell value, box and runs' values) as one value shared by every mark until a mark differs.
  /// A line of 100 000 single runs is two arrays of numbers (16 bytes a mark, not 56), or one
  /// when its x are a sweep's values in order (a rule: `SteppedNumbers`).
  package struct Marks: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
    private var xs = SteppedNumbers()
    private var ys: [Double] = []
    private var series = SharedColumn<Int32>(0)
    private var runs = SharedColumn<Int32>(1)
    private var lows = SharedColumn<UInt64>(Double.nan.bitPattern)
    private var highs = SharedColumn<UInt64>(Double.nan.bitPattern)
    private var cells = SharedColumn<UInt64>(Double.nan.bitPattern)
    private var extras = SharedColumn<ExtraReference>(ExtraReference(nil))

    package init() {}
    package init(_ marks: some Sequence<Mark>) { append(contentsOf: marks) }
    package init(arrayLiteral marks: Mark...) { self.init(marks) }

    package var startIndex: Int { 0 }
    package var endIndex: Int { xs.count }

    package subscript(position: Int) -> Mark {
      var mark = Mark(series: Int(series[position]), x: xs[position], y: ys[position])
      mark.runs = runs[position]
      mark.lowValue = Double(bitPattern: lows[position])
      mark.highValue = Double(bitPattern: highs[position])
      mark.cell = Double(bitPattern: cells[position])
      mark.extra = extras[position].extra
      return mark
    }

    package mutating func reserveCapacity(_ capacity: Int) {
      xs.reserveCapacity(capacity)
      ys.reserveCapacity(capacity)
    }

    package mutating func append(_ mark: Mark) {
      let at = xs.count
      series.append(mark.seriesIndex, at: at)
      runs.append(mark.runs, at: at)
      lows.append(mark.lowValue.bitPattern, at: at)
      highs.append(mark.highValue.bitPattern, at: at)
      cells.append(mark.cell.bitPattern, at: at)
      extras.append(ExtraReference(mark.extra), at: at)
      xs.append(mark.x)
      ys.append(mark.y)
    }

    package mutating func append(contentsOf marks: some Sequence<Mark>) {
      for mark in marks { append(mark) }
    }

    package static func += (marks: inout Marks, more: some Sequence<Mark>) { marks.append(contentsOf: more) }

    /// Every mark's x, without making the marks (nor an array of them).
    package var xValues: some RandomAccessCollection<Double> { xs }
    /// Every mark's y, without making the marks.
    package var yValues: [Double] { ys }
    /// The fewest and most runs a mark stands for; nil without marks.
    package var runCounts: (fewest: Int, most: Int)? {
      guard !xs.isEmpty else { return nil }
      let (fewest, most) = runs.bounds
      return (Int(fewest), Int(most))
    }

    /// The series the marks belong to, in increasing order.
    package var seriesPresent: [Int] { xs.isEmpty ? [] : series.distinct.map(Int.init).sorted() }

    /// The marks of one series in the given order; no copy when the panel holds that series
    /// only, already in order (a line of 100 000 points).
    package func marks(of wanted: Int, sortedBy before: (Mark, Mark) -> Bool) -> Marks {
      let all = seriesPresent == [wanted]
      var order = all ? [] : indices.filter { series[$0] == Int32(clamping: wanted) }
      let sorted = all ? !zip(indices, indices.dropFirst()).contains { before(self[$1], self[$0]) }
        : !zip(order, order.dropFirst()).contains { before(self[$1], self[$0]) }
      if all && sorted { return self }
      if all { order = Array(indices) }
      if !sorted { order.sort { before(self[$0], self[$1]) } }
      var out = Marks()
      out.reserveCapacity(order.count)
      for index in order { out.append(self[index]) }
      return out
    }
  }

  /// A mark's box and runs held by reference: equal when the same object (or both none).
  struct ExtraReference: Equatable, Sendable {
    let extra: Extra?
    init(_ extra: Extra?) { self.extra = extra }
    static func == (a: ExtraReference, b: ExtraReference) -> Bool { a.extra === b.extra }
  }
}

/// A column of the value most marks share: that one value until a mark differs, then one
/// value per mark from there on.
struct SharedColumn<Value: Equatable & Sendable>: Sendable {
  private var shared: Value
  private var each: [Value] = []

  init(_ shared: Value) { self.shared = shared }

  subscript(position: Int) -> Value { each.isEmpty ? shared : each[position] }

  /// Appends the value of the mark at `position` (the count of marks before it).
  mutating func append(_ value: Value, at position: Int) {
    if each.isEmpty {
      if position == 0 { shared = value }
      if value == shared { return }
      each = Array(repeating: shared, count: position)
    }
    each.append(value)
  }

}

extension SharedColumn where Value: Comparable {
  /// The smallest and largest value (of a column of at least one value).
  var bounds: (Value, Value) { each.isEmpty ? (shared, shared) : (each.min() ?? shared, each.max() ?? shared) }
}

extension SharedColumn where Value: Hashable {
  /// The distinct values (of a column of at least one value).
  var distinct: Set<Value> { each.isEmpty ? [shared] : Set(each) }
}
