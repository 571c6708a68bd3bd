internal import MPFYAML
extension DataFrame {
  /// The rows as a YAML list, each as experiment.yaml stores a run.
  package func yaml() throws -> String {
    try YAMLEmitter.emit(.sequence(rows.map { ExperimentRecord.run($0, variables: variables) }))
  }
}
