package import MPFCore
package import MPFText

extension Table {
  /// The aligned table `print(df)` shows: labels for variables, prefixes for units, the
  /// status only when a run did not end ok, never the error (it is in the exports and logs).
  /// Long tables show their first and last `edge` rows around `...`, wide ones their first and
  /// last columns, and a line saying the shape, as pandas does.
  package func formatted(maxRows: Int = 60, edge: Int = 5, maxWidth: Int = 160) -> String {
    var shown = columns.filter { column in
      if column.name == "error" { return false }
      if column.name == "status" { return column.values.contains { $0 != .string("ok") && $0 != .nil } }
      return true
    }
    let truncatedRows = rowCount > maxRows
    let rowIndices = truncatedRows ? Array(0..<edge) + Array(rowCount - edge..<rowCount) : Array(0..<rowCount)
    var cells = shown.map { column in rowIndices.map { Table.display(column.values[$0], in: column) } }
    var widths = zip(shown, cells).map { column, values in ([column.name.escapingControlCharacters] + values).map(\.count).max() ?? 0 }
    // Too wide: keep columns from both ends while they fit, with '...' between.
    var hiddenColumns = 0
    if widths.reduce(0, { $0 + $1 + 2 }) > maxWidth, shown.count > 2 {
      var left = 0, right = shown.count - 1, used = 5
      var keepLeft: [Int] = [], keepRight: [Int] = []
      while left <= right {
        if used + widths[left] + 2 > maxWidth { break }
        keepLeft.append(left); used += widths[left] + 2; left += 1
        if left > right || used + widths[right] + 2 > maxWidth { break }
        keepRight.insert(right, at: 0); used += widths[right] + 2; right -= 1
      }
      let keep = keepLeft + [-1] + keepRight
      hiddenColumns = shown.count - keepLeft.count - keepRight.count
      let dots = Column(name: "...", values: [])
      shown = keep.map { $0 < 0 ? dots : shown[$0] }
      cells = keep.map { $0 < 0 ? Array(repeating: "...", count: rowIndices.count) : cells[$0] }
      widths = keep.map { $0 < 0 ? 3 : widths[$0] }
    }
    let numeric = shown.map { column in column.values.allSatisfy { $0 == .nil || ($0.doubleValue != nil && column.labels == nil) } }
    func line(_ row: [String]) -> String {
      row.indices.map { row[$0].padded(to: widths[$0], alignRight: numeric[$0] && shown[$0].name != "...") }.joined(separator: "  ").trimmedEnd()
    }
    var lines = [line(shown.map(\.name.escapingControlCharacters))]
    for (position, _) in rowIndices.enumerated() {
      if truncatedRows && position == edge { lines.append(line(widths.map { _ in "..." })) }
      lines.append(line(cells.map { $0[position] }))
    }
    if truncatedRows || hiddenColumns > 0 {
      lines.append("")
      lines.append("[\(rowCount) rows x \(columns.filter { $0.name != "error" }.count) columns]")
    }
    return lines.joined(separator: "\n")
  }

  /// A cell as tables show it: a label, a number with its unit's prefix, or text on one line.
  package static func display(_ value: LuaValue, in column: Column) -> String {
    if value == .nil { return "-" }
    if let label = column.labels?[value] { return label.escapingControlCharacters }
    if let number = value.doubleValue {
      if let unit = column.unit { return DataFrame.formatWithPrefix(number, unit: unit, digits: 6).escapingControlCharacters }
      if case .integer(let i) = value { return String(i) }
      return NumberText.formatNumber(number, digits: 6)
    }
    return value.displayString.escapingControlCharacters
  }
}

