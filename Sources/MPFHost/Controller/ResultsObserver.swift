package import MPFCore
package import MPFYAML
package import MPFResults
import Synchronization
import MPFText

/// Keeps what the orchestrator reports: each run in experiment.yaml before the next starts, its
/// log and files in the results directory, the progress bar, and the script's `on_run`.
package struct ResultsObserver: RunObserver {
  package var results: ResultsDirectory
  package var progress: ProgressReporter
  package var variables: [Variable]
  /// experiment.yaml's header from the machines' facts.
  package var header: @Sendable ([String: LuaValue], LuaValue) -> YAMLNode
  /// The script's `on_run`, handed each recorded run; an error stops the experiment.
  package var onRun: (@Sendable (ResultRow) async throws -> Void)?
  /// `-v`: a failed run's message comes with its Lua traceback.
  package var verbose = false
  /// Each result's unit so far: a result whose unit changes between runs is reported.
  private let units = UnitWatch()
  /// How often each error ended a run: the same one is not said in full every time.
  private let failures = FailureWatch()

  package func started(facts: [String: LuaValue]) throws {
    try results.begin(header(facts, .nil))
  }

  package func started(facts: [String: LuaValue], software: LuaValue) throws {
    try results.begin(header(facts, software))
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
      // The same error again and again is said in full a few times, then once with its count.
      let seen = failures.count(error)
      if seen <= FailureWatch.shownInFull {
        // A run's error holds what its commands printed: escaped, it keeps to one line.
        progress.message("run \(row.index)\(description.isEmpty ? "" : " (\(description))") \(verb): \(error.escapingControlCharacters)\(traceback)")
      }
      if seen == FailureWatch.shownInFull {
        progress.message(
          "mpf: \(seen) runs failed with this same error; later runs that fail with it are counted, not shown."
            + " If every run fails this way, Ctrl-C stops the experiment (the finished runs are kept): fix the script and"
            + " resume, or use on_error = 'stop' to stop at the first failure")
      }
    }
    for mix in units.check(row) {
      progress.warning(
        "mpf: warning: result '\(mix.name)' is in \(mix.first) in run \(mix.firstRun) and in \(mix.now) in run \(row.index):"
          + " a column mixing units is not comparable; return one unit (its value is stored with the unit it had)")
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

/// How many runs each error ended, to say an error that repeats once with its count.
final class FailureWatch: Sendable {
  /// Runs whose same error is shown in full before it is only counted.
  static let shownInFull = 3
  private let counts = Mutex<[String: Int]>([:])

  /// Counts one more run that `error` ended; returns how many it has ended so far.
  func count(_ error: String) -> Int {
    counts.withLock { counts in
      counts[error, default: 0] += 1
      return counts[error] ?? 0
    }
  }
}

/// The unit each result had first, to report a result that comes back in another.
final class UnitWatch: Sendable {
  private let first = Mutex<[String: (unit: String, run: Int)]>([:])

  /// The results of `row` whose unit differs from their first one (each result reported once).
  func check(_ row: ResultRow) -> [(name: String, first: String, firstRun: Int, now: String)] {
    first.withLock { seen in
      var mixes: [(String, String, Int, String)] = []
      for name in row.resultOrder {
        guard let value = row.results[name], let quantity = value.quantity else { continue }
        let unit = quantity.unit.isEmpty ? "plain numbers" : quantity.unit
        guard let known = seen[name] else {
          seen[name] = (unit, row.index)
          continue
        }
        if known.unit != unit, known.run >= 0 {
          mixes.append((name, known.unit, known.run, unit))
          seen[name] = (known.unit, -1)
        }
      }
      return mixes
    }
  }
}
