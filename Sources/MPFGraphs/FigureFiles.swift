package import MPFCore
package import MPFResults

/// A figure on disk: NAME.svg, and beside it NAME.csv (what is drawn) and NAME.py (matplotlib,
/// redraws NAME.png from the CSV).
package enum FigureFiles {
  /// Writes the three files in `folder` (an experiment's `graphs/`: no link in it is
  /// followed); returns the SVG's path.
  ///
  /// - Throws: `SystemError` when the folder cannot be written.
  @discardableResult
  package static func write(_ figure: Figure, in folder: Directory, name: String) throws -> String {
    let baseName = safeName(name)
    let data = FigureData(figure)
    try folder.write(baseName + ".csv", Array(data.csv().utf8))
    try folder.write(baseName + ".py", Array(data.matplotlib(csvName: baseName + ".csv", pngName: baseName + ".png").utf8))
    try folder.write(baseName + ".svg", Array(SVGFigure(figure).render().utf8))
    return FileSystem.join(folder.path, baseName + ".svg")
  }

  /// Writes the three files in `directory`, a folder the user named (made when missing).
  @discardableResult
  package static func write(_ figure: Figure, directory: String, name: String) throws -> String {
    try write(figure, in: Directory.open(directory, creating: true), name: name)
  }

  /// The graphs mpf draws after an experiment, one per numeric result, in `folder`.
  ///
  /// - Returns: each result with its SVG's path, in the table's column order.
  @discardableResult
  package static func writeAutomatic(_ table: Table, in folder: Directory, name: String) throws -> [(result: String, path: String)] {
    try FigureBuilder.automatic(table, name: name).map { result, figure in
      (result, try write(figure, in: folder, name: result))
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
