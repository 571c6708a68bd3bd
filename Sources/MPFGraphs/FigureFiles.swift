internal import MPFCore
package import MPFResults

/// A figure on disk: NAME.svg, and beside it NAME.csv (what is drawn) and NAME.py (matplotlib,
/// redraws NAME.png from the CSV).
package enum FigureFiles {
  /// Writes the three files; returns the SVG's path.
  ///
  /// - Throws: `SystemError` when the folder cannot be written.
  @discardableResult
  package static func write(_ figure: Figure, directory: String, name: String) throws -> String {
    try FileSystem.createDirectory(directory)
    let base = FileSystem.join(directory, safeName(name))
    let data = FigureData(figure)
    let baseName = FileSystem.basename(base)
    try FileSystem.writeAtomically(base + ".csv", Array(data.csv().utf8))
    try FileSystem.writeAtomically(base + ".py", Array(data.matplotlib(csvName: baseName + ".csv", pngName: baseName + ".png").utf8))
    try FileSystem.writeAtomically(base + ".svg", Array(SVGFigure(figure).render().utf8))
    return base + ".svg"
  }

  /// The graphs mpf draws after an experiment, one per numeric result, under `directory`.
  ///
  /// - Returns: each result with its SVG's path, in the table's column order.
  @discardableResult
  package static func writeAutomatic(_ table: Table, directory: String, name: String) throws -> [(result: String, path: String)] {
    try FigureBuilder.automatic(table, name: name).map { result, figure in
      (result, try write(figure, directory: directory, name: result))
    }
  }

  /// A file name made of the name's letters, digits, `-`, `_` and `.` (others become `_`).
  package static func safeName(_ name: String) -> String {
    let kept = name.map { c -> Character in
      c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".") ? c : "_"
    }
    let text = String(kept)
    return text.isEmpty || text.hasPrefix(".") ? "_" + text : text
  }
}
