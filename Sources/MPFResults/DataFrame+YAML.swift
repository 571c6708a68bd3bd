internal import MPFYAML
extension DataFrame {
  /// The rows as a YAML list of mappings with the export columns (as CSV and JSON have them).
  package func yaml() throws -> String {
    let columns = exportColumns
    return try YAMLEmitter.emit(.sequence(rows.map { row in
      .mapping(columns.map { ($0.name, YAMLNode.value($0.cell(row))) })
    }))
  }
}
