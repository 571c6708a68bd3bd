package import MPFCore
package import MPFYAML
package import MPFResults

/// Keeps what the orchestrator reports: each run in experiment.yaml before the next starts, its
/// log and files in the results directory, the progress bar, and the script's `on_run`.
package struct ResultsObserver: RunObserver {
  package var results: ResultsDirectory
  package var progress: ProgressReporter
  package var variables: [Variable]
  /// experiment.yaml's header from the machines' facts.
  package var header: @Sendable ([String: LuaValue]) -> YAMLNode
  /// The script's `on_run`, handed each recorded run; an error stops the experiment.
  package var onRun: (@Sendable (ResultRow) async throws -> Void)?
  /// `-v`: a failed run's message comes with its Lua traceback.
  package var verbose = false

  package func started(facts: [String: LuaValue]) throws {
    try results.begin(header(facts))
  }

  package func starting(_ run: PlannedRun, description: String) {
    progress.starting(description)
  }

  package func store(_ files: [WorkerFile], under folder: String) throws -> [String] {
    try results.store(files, under: folder)
  }

  package func writeLog(named name: String, _ text: String) throws -> String {
    try results.writeLog(named: name + ".log", text)
  }

  package func finished(_ row: ResultRow, description: String) async throws {
    try results.append(run: ExperimentRecord.run(row, variables: variables))
    if row.status == .nodeLost { return }
    // A mistake that stops the experiment is said once, by the error that stops it.
    if row.status != .ok, row.mistake == nil, let error = row.error {
      let verb = row.status == .timeout ? "timed out" : "failed"
      let traceback = verbose ? row.traceback.map { "\n" + $0 } ?? "" : ""
      // A run's error holds what its commands printed: escaped, it keeps to one line.
      progress.message("run \(row.index)\(description.isEmpty ? "" : " (\(description))") \(verb): \(error.escapingControlCharacters)\(traceback)")
    }
    progress.finished(description, status: row.status, duration: row.duration)
    try await onRun?(row)
  }

  package func message(_ text: String) {
    progress.message(text)
  }

  package func warning(_ text: String) {
    progress.warning(text)
  }
}
