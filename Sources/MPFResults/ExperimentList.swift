internal import MPFCore
internal import MPFYAML
import MPFSystem
import MPFText

/// The experiments stored under a folder (`mpf list`), newest first.
package enum ExperimentList {
  package struct Entry: Sendable {
    package var directory: String
    package var experiment: StoredExperiment?
    /// Why the folder could not be read, when it could not.
    package var problem: String?

    /// An experiment that ended (its trailer written) with no run stored: it stopped before the
    /// first, as when its deploy failed. Nothing was measured; `mpf list` shows it on request.
    package var endedBeforeAnyRun: Bool {
      guard let experiment else { return false }
      return experiment.status != nil && experiment.rows.count == 0
    }
  }

  /// Why `parent` cannot hold experiments (it does not exist, or is a file), nil when it is a
  /// folder: `entries` finds none in either case, which is not "no experiment under it".
  package static func folderProblem(_ parent: String) -> String? {
    guard !FileSystem.isDirectory(parent) else { return nil }
    let shown = parent.escapingControlCharacters
    guard FileSystem.exists(parent) else { return "\(shown) does not exist: give the folder of experiment directories (mpf_experiments where mpf ran)" }
    return "\(shown) is not a folder: give the folder of experiment directories (mpf_experiments where mpf ran), not a file in it"
  }

  /// Every folder of `parent` that holds an experiment.yaml, newest first (by start time).
  package static func entries(under parent: String) -> [Entry] {
    let folders = FileSystem.directoryEntries(parent).map { FileSystem.join(parent, $0) }
      .filter { FileSystem.exists(FileSystem.join($0, "experiment.yaml")) }
    let entries = folders.map { folder -> Entry in
      do {
        return Entry(directory: folder, experiment: try StoredExperiment.load(folder))
      } catch {
        return Entry(directory: folder, problem: "\(error)")
      }
    }
    return entries.sorted { ($0.experiment?.started ?? 0, $0.directory) > ($1.experiment?.started ?? 0, $1.directory) }
  }

  /// The runs done, of the runs planned; for adaptive repetitions and searches, whose count is
  /// not known ahead, the runs done and the rule's bound or the variable searched.
  static func runs(of stored: StoredExperiment) -> String {
    let done = stored.rows.count
    if let rule = stored.record["adaptive"], let max = rule["max"]?.intValue, let planned = stored.plannedRuns, stored.runCount > 0 {
      return "\(done) (adaptive, ≤ \(planned / stored.runCount * max))"
    }
    if let searched = stored.record["searched"]?.string { return "\(done) (search on \(searched))" }
    if stored.record["search"] != nil { return "\(done) (search)" }
    return "\(done)/\(stored.plannedRuns.map(String.init) ?? "?")"
  }

  /// One line per experiment, aligned: id, start (UTC), script and arguments, runs done of
  /// planned, failed runs, status.
  package static func table(_ entries: [Entry]) -> String {
    var rows = [["id", "started (UTC)", "script", "runs", "failed", "status"]]
    for entry in entries {
      guard let stored = entry.experiment else {
        rows.append([FileSystem.basename(entry.directory), "-", "-", "-", "-", "unreadable: \(entry.problem ?? "")"])
        continue
      }
      let script = ([FileSystem.basename(stored.scriptPath)] + stored.arguments.map(ShellQuote.quoteIfNeeded)).joined(separator: " ")
      let failed = stored.rows.failedCount
      let status = stored.status ?? (stored.isRunning ? "running" : "stopped (no end recorded)")
      rows.append([
        stored.id, String(Clock.iso8601(stored.started).prefix(19)).replacingAll("T", with: " "), script,
        runs(of: stored), String(failed), status,
      ].map(\.escapingControlCharacters))
    }
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.indices.map { row[$0].padded(to: widths[$0], alignRight: $0 == 3 || $0 == 4) }.joined(separator: "  ")
    }.map { line in
      var line = Substring(line)
      while line.last == " " { line.removeLast() }
      return String(line)
    }.joined(separator: "\n")
  }
}
