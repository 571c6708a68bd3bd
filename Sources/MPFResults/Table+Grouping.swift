package import MPFCore

extension Table {
  /// The distinct combinations of `columns` over `rows` (row numbers of the table), in order of
  /// first appearance, and each of those rows' combination, without a key made per row: what
  /// `group_by`, the graphs and the report's results table group by.
  package static func grouping(_ columns: [Column], _ rows: RowSelection) -> Grouping {
    guard !columns.isEmpty else { return Grouping(columns: [], code: Array(repeating: 0, count: rows.count)) }
    precondition(rows.count < Int(Int32.max), "a table of more than 2^31 rows")
    let each = columns.map { distinct($0.values, rows) }
    if each.count == 1 { return Grouping(columns: [each[0].values], code: each[0].code) }
    // Each row's combination as one number (mixed radix over the columns' distinct values),
    // or as the list of its codes when that number could overflow.
    let fits = each.reduce(into: (product: 1, ok: true)) { state, column in
      let (next, overflow) = state.product.multipliedReportingOverflow(by: max(column.values.count, 1))
      state = (next, state.ok && !overflow)
    }.ok
    var byNumber: [Int: Int32] = [:]
    var byCodes: [[Int32]: Int32] = [:]
    var keys: [ValueColumn] = columns.map { _ in ValueColumn() }
    var code: [Int32] = []
    code.reserveCapacity(rows.count)
    for position in rows.indices {
      let number = fits ? each.reduce(0) { $0 * max($1.values.count, 1) + Int($1.code[position]) } : 0
      let codes = fits ? [] : each.map { $0.code[position] }
      if let found = fits ? byNumber[number] : byCodes[codes] {
        code.append(found)
        continue
      }
      let new = Int32(keys[0].count)
      if fits { byNumber[number] = new } else { byCodes[codes] = new }
      code.append(new)
      for c in each.indices { keys[c].append(each[c].values[Int(each[c].code[position])]) }
    }
    return Grouping(columns: keys, code: code)
  }

  /// The distinct combinations of some columns over some rows: `key(code[i])` is the
  /// combination of the i-th row. Kept by column: 100 000 keys of one column of numbers are
  /// one array of numbers, and the codes 4 bytes a row.
  package struct Grouping: Sendable {
    /// Per column, each combination's value.
    package var columns: [ValueColumn]
    package var code: [Int32]

    package init(columns: [ValueColumn], code: [Int32]) { (self.columns, self.code) = (columns, code) }

    /// How many distinct combinations (0 when grouped by no column).
    package var count: Int { columns.first?.count ?? 0 }
    package func key(_ index: Int) -> [LuaValue] { columns.map { $0[index] } }
    /// Every combination (for the few keys of series and panels).
    package var keys: [[LuaValue]] { (0..<count).map(key) }
  }

  /// The distinct values of `column` over `rows` in order of first appearance (numbers by
  /// value, as `ValueKey` matches them), and each row's position among them.
  package static func distinct(_ column: ValueColumn, _ rows: RowSelection) -> (values: ValueColumn, code: [Int32]) {
    if let strings = column.distinctStrings { return distinct(column, rows, strings: strings) }
    if let (low, high) = column.integerBounds, case let (span, overflow) = high.subtractingReportingOverflow(low), !overflow,
      span < Int64(4 * rows.count + 1024)
    {
      return distinct(column, rows, integersFrom: low, span: Int(span))
    }
    return distinctHashed(column, rows)
  }

  /// Strings by their text: the column's own codes, renumbered in order of appearance.
  private static func distinct(_ column: ValueColumn, _ rows: RowSelection, strings: [String]) -> (values: ValueColumn, code: [Int32]) {
    var values = ValueColumn()
    var code: [Int32] = []
    code.reserveCapacity(rows.count)
    var renumbered = Array(repeating: Int32(-1), count: strings.count + 1)
    for row in rows {
      let given = column.stringCode(at: row)
      let slot = given < 0 ? strings.count : Int(given)
      if renumbered[slot] < 0 {
        renumbered[slot] = Int32(values.count)
        values.append(given < 0 ? .nil : .string(strings[slot]))
      }
      code.append(renumbered[slot])
    }
    return (values, code)
  }

  /// Integers over a span not much wider than the rows: a table by value, no hashing. The
  /// distinct values counted first, so that their column is made at its size (grown by
  /// doubling, 100 000 values took 1 MB for 0.8).
  private static func distinct(_ column: ValueColumn, _ rows: RowSelection, integersFrom low: Int64, span: Int) -> (values: ValueColumn, code: [Int32]) {
    var seen = Array(repeating: Int32(-1), count: span + 2)
    func slot(_ row: Int) -> Int { column.integer(at: row).map { Int($0 - low) } ?? seen.count - 1 }
    var distinct = 0
    for row in rows {
      let at = slot(row)
      if seen[at] < 0 { (seen[at], distinct) = (0, distinct + 1) }
    }
    if distinct == column.count, rows.count == column.count, rows.isRule, rows.first == 0, rows.last == column.count - 1 {
      // Every row of the column in order, each a value of its own (a sweep run once at each
      // value): the column is its own list of distinct values, shared (0.8 MB at 100 000).
      return (column, Array(0..<Int32(column.count)))
    }
    var values = ValueColumn()
    var code: [Int32] = []
    code.reserveCapacity(rows.count)
    values.reserveCapacity(distinct)
    for row in rows { seen[slot(row)] = -1 }
    for row in rows {
      let at = slot(row)
      if seen[at] < 0 {
        seen[at] = Int32(values.count)
        values.append(column[row])
      }
      code.append(seen[at])
    }
    return (values, code)
  }

  /// Any other column: numbers by value (0 and -0 one), the rest by `ValueKey`.
  private static func distinctHashed(_ column: ValueColumn, _ rows: RowSelection) -> (values: ValueColumn, code: [Int32]) {
    var values = ValueColumn()
    var code: [Int32] = []
    code.reserveCapacity(rows.count)
    var byNumber: [Double: Int32] = [:]
    var byKey: [ValueKey: Int32] = [:]
    for row in rows {
      let number = column.number(at: row)
      if let number, !number.isNaN {
        let key = number == 0 ? 0 : number
        if let found = byNumber[key] {
          code.append(found)
          continue
        }
        byNumber[key] = Int32(values.count)
      } else {
        let key = ValueKey(column[row])
        if let found = byKey[key] {
          code.append(found)
          continue
        }
        byKey[key] = Int32(values.count)
      }
      code.append(Int32(values.count))
      values.append(column[row])
    }
    return (values, code)
  }

  /// How many distinct values `column` holds over `rows`, counted up to `limit + 1` only (a
  /// variable of 100 000 values is found to have too many after `limit + 1` rows, with no code
  /// per row made).
  package static func distinctCount(_ column: ValueColumn, _ rows: RowSelection, upTo limit: Int) -> Int {
    var integers: Set<Int64> = [], numbers: Set<Double> = [], others: Set<ValueKey> = []
    for row in rows {
      if let integer = column.integer(at: row) {
        integers.insert(integer)
      } else if let number = column.number(at: row), !number.isNaN {
        numbers.insert(number == 0 ? 0 : number)
      } else {
        others.insert(ValueKey(column[row]))
      }
      if integers.count + numbers.count + others.count > limit { return limit + 1 }
    }
    return integers.count + numbers.count + others.count
  }

  /// The rows of each group of equal values of `names` (no names: one group of every row),
  /// groups in order of first appearance; with `limit`, the keys and rows of the first `limit`
  /// groups only (the report shows 1000 of a 100 000-point experiment), and how many there are.
  package func groups(by names: [String], limit: Int = .max) throws -> (keys: [[LuaValue]], rows: [[Int]], count: Int) {
    let columns = try names.map { try require($0, for: "group_by") }
    if names.isEmpty { return rowCount == 0 || limit < 1 ? ([], [], rowCount == 0 ? 0 : 1) : ([[]], [Array(0..<rowCount)], 1) }
    if limit < rowCount, let counted = Table.firstGroups(columns.map(\.values), rowCount: rowCount, limit: limit) { return counted }
    let grouping = Table.grouping(columns, RowSelection(0..<rowCount))
    var members = Array(repeating: [Int](), count: min(grouping.count, limit))
    for (row, code) in grouping.code.lazy.map(Int.init).enumerated() where code < limit { members[code].append(row) }
    return (members.indices.map(grouping.key), members, grouping.count)
  }

  /// `groups(by:limit:)` of columns of integers (and nils) over spans not much wider than the
  /// rows, without a code per row: each row's combination is a number (mixed radix over the
  /// spans, a nil last), marked seen in a bit set, and only the first `limit` combinations are
  /// kept with their rows (the report's results table shows 1000 of 100 000 points: coding every
  /// row made about 3 MB to throw away). Nil when the columns are of another kind, or their
  /// combinations too many for a bit set of a few bits a row.
  package static func firstGroups(_ columns: [ValueColumn], rowCount: Int, limit: Int) -> (keys: [[LuaValue]], rows: [[Int]], count: Int)? {
    var lows: [Int64] = [], radices: [Int] = []
    var combinations = 1
    for column in columns {
      guard let (low, high) = column.integerBounds, case let (span, overflow) = high.subtractingReportingOverflow(low), !overflow,
        span < Int64(4 * rowCount + 1024)
      else { return nil }
      // The values low...high, then nil.
      let radix = Int(span) + 2
      let (product, tooMany) = combinations.multipliedReportingOverflow(by: radix)
      guard !tooMany, product <= 64 * rowCount + 65536 else { return nil }
      (combinations, lows, radices) = (product, lows + [low], radices + [radix])
    }
    var seen = [UInt64](repeating: 0, count: combinations / 64 + 1)
    var kept: [Int: Int] = [:]
    var (keys, members, count) = ([[LuaValue]](), [[Int]](), 0)
    for row in 0..<rowCount {
      var number = 0
      for c in columns.indices {
        number = number * radices[c] + (columns[c].integer(at: row).map { Int($0 - lows[c]) } ?? radices[c] - 1)
      }
      if seen[number >> 6] & (1 << UInt64(number & 63)) == 0 {
        seen[number >> 6] |= 1 << UInt64(number & 63)
        count += 1
        if keys.count < limit {
          kept[number] = keys.count
          keys.append(columns.map { $0[row] })
          members.append([])
        }
      }
      if let group = kept[number] { members[group].append(row) }
    }
    return (keys, members, count)
  }
}
