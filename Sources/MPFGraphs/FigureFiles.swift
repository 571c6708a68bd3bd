package import MPFCore
package import MPFResults
package import MPFSystem
package import MPFText

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
    try folder.write(baseName + ".csv", text: data.csv)
    try folder.write(baseName + ".py", Array(data.matplotlib(csvName: baseName + ".csv", pngName: baseName + ".png").utf8))
    try folder.write(baseName + ".svg", text: SVGFigure(figure).render)
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

  /// The file name (without extension) of a figure named `name`, the one place such names are
  /// made: a name of ASCII letters, digits, `-`, `_` and `.` (not leading) of at most 100 bytes
  /// is its own file name; any other is made of those characters (others become `_`), cut to
  /// 60, then `~` and 8 hex digits of the name's SHA-256. `~` is never kept from a name, so two
  /// names never share a file (`a b`, `a/b` and `a_b` are three), and the file name stays far
  /// below the 255 bytes a file system allows, whatever the name's length.
  package static func safeName(_ name: String) -> String {
    let kept = String(name.map { c -> Character in
      c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".") ? c : "_"
    })
    if kept == name, !name.isEmpty, !name.hasPrefix("."), name.utf8.count <= 100 { return name }
    let digest = SHA256.hex(Array(name.utf8)).prefix(8)
    let stem = kept.hasPrefix(".") ? "_" + kept : kept
    return String(stem.prefix(60)) + "~" + digest
  }
}
