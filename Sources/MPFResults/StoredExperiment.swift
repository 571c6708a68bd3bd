package import MPFCore
package import MPFYAML
package import MPFSystem
package import MPFText

/// An experiment read back from its directory: what `mpf show` prints and `resume` continues.
///
/// Runs are keyed by their variable values and repetition; when a key appears twice (a failed
/// run retried by a resume), the later entry wins.
package struct StoredExperiment: Sendable {
  package var directory: String
  package var id: String
  package var scriptPath: String
  package var scriptCopy: String
  package var arguments: [String]
  package var clusterCopy: String?
  package var seed: UInt64
  package var runCount: Int
  package var started: Double
  package var resumed: [Double]
  package var variables: [Variable]
  package var rows: RunRecords
  /// `completed`, `stopped`, ... or nil when the file has no trailer (mpf was killed).
  package var status: String?
  /// How many runs the experiment planned (nil in files that do not say).
  package var plannedRuns: Int?
  /// The digest of its points when they were not every combination (`points.digest`).
  package var pointsDigest: String?
  /// Whether the experiment is still running: no end recorded, and an mpf holds its lock.
  package var isRunning: Bool { status == nil && ExperimentLock.isHeld(in: directory) }

  /// Everything the file records but its runs: the header (script, cluster, machines' facts,
  /// git) and the trailer (finished, status, stop_reason), for the report.
  package var record: YAMLNode = .mapping([])

  /// Where the whole run entries are in experiment.yaml (bytes), when it was read whole and in
  /// format 2: what a resume copies, byte for byte, after the new header.
  package var runsRange: Range<Int>?
  /// Run entries that could not be read (damaged or edited): left out of `rows`, kept in the
  /// file. Whoever reads the experiment says them (`warnings`).
  package var skipped: [ExperimentText.Skipped] = []

  /// One warning per skipped entry, naming experiment.yaml and the entry's line.
  package var warnings: [String] {
    let file = FileSystem.join(directory, "experiment.yaml")
    return skipped.map {
      "\(file):\($0.line): warning: run entry skipped: \($0.reason); it stays in the file as it is, and a resume runs that run again"
    }
  }


  /// Reads `directory/experiment.yaml`; with `headerOnly`, only what precedes `runs:` (fast:
  /// enough for the script, arguments and cluster of a resume); with `given` (the experiment
  /// that just wrote the file, never resumed), its variables and runs are taken as they are in
  /// memory, and only the rest of the header and the trailer are read.
  ///
  /// - Throws: `Diagnostic` of kind `.io` naming the file and what is wrong with it.
  package static func load(
    _ directory: String, headerOnly: Bool = false, given: (variables: [Variable], rows: RunRecords)? = nil
  ) throws -> StoredExperiment {
    let file = FileSystem.join(directory, "experiment.yaml")
    func bad(_ message: String, line: Int = 0) -> Diagnostic {
      Diagnostic(.results, message, at: SourceLocation(file: file, line: line))
    }
    let folder: Directory
    let opened: FileDescriptor
    do {
      // No link followed, and no wait on a FIFO: what is not a regular file is refused.
      folder = try Directory.open(directory)
      opened = try folder.openFile("experiment.yaml", .readOnly)
    } catch var error as SystemError {
      if error.refusal == nil { error.path = file }
      throw Diagnostic(.io, "\(error)", notes: ["an experiment directory holds experiment.yaml: is \(directory) one?"])
    }
    let fd = opened
    var first = [UInt8](repeating: 0, count: 64)
    first.removeLast(64 - ((try? fd.read(into: &first, at: 0)) ?? 0))
    let document: YAMLNode
    var runsRange: Range<Int>?
    var variables: [Variable] = []
    var parsedRows = RunRecords()
    var skipped: [ExperimentText.Skipped] = []
    do {
      if first.starts(with: "format: \(ExperimentRecord.formatWithoutEndLines)\n".utf8) {
        // Format 1 has no end lines: a file cut inside a write is read up to its last run that parses.
        let text = String(decoding: try fd.readAll(), as: UTF8.self)
        var validText = text
        if headerOnly, let runs = text.firstRange(of: "\nruns:\n") { validText = String(text[..<runs.lowerBound]) + "\n" }
        var parsed = try? YAMLParser.parse(validText, file: file)
        if parsed == nil {
          validText = Self.prefixBeforeLastRun(of: validText)
          parsed = try YAMLParser.parse(validText, file: file)
        }
        guard let parsed = parsed ?? nil else { throw bad("the file is empty") }
        document = parsed
        variables = Self.variables(of: document)
        parsedRows = RunRecords(try (document["runs"]?.items ?? []).map { try Self.row($0, variables: variables, bad: bad) })
      } else {
        // Only whole records count: a cut run is left out (and redone by a resume), a cut
        // header refused rather than guessed. The file is read in blocks, never whole.
        guard first.starts(with: "format: ".utf8) || first.isEmpty else {
          throw bad("not a results file: it does not start with format: \(ExperimentRecord.format)", line: 1)
        }
        var header: YAMLNode = .mapping([])
        var variablePosition: [String: Int] = [:]
        let streamed = try ExperimentText.stream(fd) { bytes in
          // The header as a small document; the run order (a line as long as the plan) is
          // not needed to read the runs back.
          let (text, values) = Self.headerDocument(bytes, readingValues: given == nil)
          guard let parsed = try YAMLParser.parse(text, file: file) else { throw bad("the file is empty") }
          header = parsed
          guard [ExperimentRecord.format, ExperimentRecord.formatWithoutEndLines].contains(header["format"]?.string ?? "") else {
            throw bad("format \(header["format"]?.string ?? "(none)") is not \(ExperimentRecord.format)", line: header["format"]?.line ?? 1)
          }
          variables = given?.variables ?? Self.variables(of: header, values: values)
          variablePosition = Dictionary(variables.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
          return !headerOnly
        } run: { entry, line in
          guard given == nil else { return }
          if let row = RunEntryReader.row(entry, variables: variables, position: variablePosition) {
            parsedRows.append(row)
            return
          }
          // Not in the form the fast reader knows: libyaml reads it (same result, slower). One
          // that libyaml cannot read either is skipped and said, and stays in the file.
          do {
            guard let item = try YAMLParser.parse(String(decoding: entry, as: UTF8.self), file: file)?.items.first else {
              throw bad("an empty run entry", line: line)
            }
            parsedRows.append(try Self.row(item, variables: variables, bad: { message, at in bad(message, line: at + line - 1) }))
          } catch let error as YAMLError {
            skipped.append(.init(line: error.line + line - 1, reason: error.message))
          } catch let error as Diagnostic {
            skipped.append(.init(line: error.location?.line ?? line, reason: error.message))
          }
        }
        skipped += streamed?.skipped ?? []
        guard let streamed else {
          if first.contains(13) {
            throw bad("the file's lines end in CR LF (it was edited or copied as text on Windows): mpf writes and reads LF only; convert it back (sed -i 's/\\r$//' experiment.yaml)", line: 1)
          }
          let size = try fd.endOffset()
          throw bad(
            size == 0 ? "the file is empty" : "the file's header is not whole (it ends before runs:): it was cut while written, or edited; it cannot be trusted to show or resume",
            line: size == 0 ? 0 : (try FileSystem.read(file)).count { $0 == 10 } + 1)
        }
        if !headerOnly { runsRange = streamed.runs }
        var pairs = header.pairs
        if let trailer = streamed.trailer {
          do {
            pairs += try YAMLParser.parse(String(decoding: trailer, as: UTF8.self), file: file)?.pairs ?? []
          } catch let error as YAMLError {
            throw bad("not a valid results file: \(error.message)", line: error.line + streamed.trailerLine - 1)
          }
        }
        document = .mapping(pairs)
      }
    } catch let error as YAMLError {
      throw bad("not a valid results file: \(error.message)", line: error.line)
    }
    guard [ExperimentRecord.format, ExperimentRecord.formatWithoutEndLines].contains(document["format"]?.string ?? "") else {
      throw bad("format \(document["format"]?.string ?? "(none)") is not \(ExperimentRecord.format)", line: document["format"]?.line ?? 1)
    }
    var rows = RunRecords()
    if let given {
      rows = given.rows
    } else if document["resumed"]?.items.isEmpty ?? true {
      // Never resumed: every run was done once.
      rows = parsedRows
    } else {
      rows = Self.lastOfEachRun(parsedRows)
    }
    func stored(_ field: String, _ node: YAMLNode?) throws -> String? {
      try storedPath(field, node, in: folder) { bad($0, line: $1) }
    }
    var stored = StoredExperiment(
      directory: directory, id: document["id"]?.string ?? FileSystem.basename(directory),
      scriptPath: document["script"]?["path"]?.string ?? "", scriptCopy: try stored("script.copy", document["script"]?["copy"]) ?? directory,
      arguments: document["script"]?["arguments"]?.items.compactMap(\.string) ?? [],
      clusterCopy: try stored("cluster", document["cluster"]),
      seed: try Self.storedSeed(document["seed"], bad: bad), runCount: try Self.storedCount("n_runs", document["n_runs"], bad: bad) ?? 1,
      started: document["started"]?.string.flatMap(Clock.parseISO8601) ?? 0,
      resumed: document["resumed"]?.items.compactMap { $0.string.flatMap(Clock.parseISO8601) } ?? [],
      variables: variables, rows: rows, status: document["status"]?.string)
    stored.plannedRuns = try Self.storedCount("planned_runs", document["planned_runs"], from: 0, bad: bad)
    try Self.checkPlanSize(runCount: stored.runCount, variables: variables, line: document["n_runs"]?.line ?? 0, bad: bad)
    stored.pointsDigest = document["points"]?["digest"]?.string
    stored.runsRange = runsRange
    stored.skipped = skipped.sorted { $0.line < $1.line }
    stored.record = .mapping(document.pairs.filter { $0.key != "runs" && $0.key != "run_order" })
    return stored
  }

  /// The label it was given (`mpf run --label`, `run_experiment{label = ...}`), if any.
  package var label: String? { record["label"]?.string }

  /// The variables `--pin` held to one value (`pinned:`), by name: what a resume keeps.
  package var pins: [String: String] {
    var pins: [String: String] = [:]
    for (name, value) in record["pinned"]?.pairs ?? [] { pins[name] = value.string }
    return pins
  }

  /// What it replayed (`replay_of`, `mpf replay`): kept by a resume.
  package var replayOf: ReplayOrigin? {
    guard let origin = record["replay_of"], let id = origin["id"]?.string, let sha = origin["bundle_sha256"]?.string else { return nil }
    return ReplayOrigin(id: id, bundleSHA256: sha)
  }

  /// `load`, saying on stderr each run entry it skipped (what `mpf show`, `plot`, `compare`,
  /// `report`, `resume` and `mpf.load` read an experiment with: none of them drops a run unsaid).
  package static func loadSayingSkipped(_ directory: String) throws -> StoredExperiment {
    let stored = try load(directory)
    for warning in stored.warnings { FileSystem.writeStderr(warning.escapingControlCharacters + "\n") }
    return stored
  }

  /// A path experiment.yaml holds relative to its directory (`script.copy`, `cluster`: what a
  /// resume runs and reads), joined to it; refused when it could lead outside: absolute, with a
  /// `..`, or through a symbolic link (an edited file or a planted link must not make a resume
  /// run another script).
  ///
  /// - Returns: nil when the field is absent.
  static func storedPath(_ field: String, _ node: YAMLNode?, in folder: Directory, bad: (String, Int) -> Diagnostic) throws -> String? {
    guard let node, let text = node.string else { return nil }
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    let path = FileSystem.join(folder.path, text)
    let shown = text.escapingControlCharacters
    guard !text.isEmpty, !text.hasPrefix("/"), !parts.contains("..") else {
      throw bad("\(field) '\(shown)' is outside the experiment directory: mpf keeps its copies in it, and uses no stored path that leaves it", node.line)
    }
    // Reached without following a link, it is a regular file (or absent: said when used).
    let status = folder.status(of: text)
    if let status, status.kind != .regular {
      throw bad("\(field) '\(shown)' is \(status.kindDescription), not a regular file of the experiment directory: mpf does not follow it", node.line)
    }
    if status == nil, FileSystem.exists(path) {
      throw bad("\(field) '\(shown)' is reached through a symbolic link: mpf does not follow it", node.line)
    }
    return path
  }

  /// The runs as a file holding `entries` in that order means them: a run done again (a failed
  /// one retried by a resume) keeps its first place and its last entry.
  package static func lastOfEachRun(_ entries: RunRecords) -> RunRecords {
    var place: [RunKey: Int] = [:]
    var kept: [Int] = []
    for position in entries.indices {
      let key = RunKey(values: entries.values(at: position), repetition: entries.repetition(at: position))
      if let existing = place[key] { kept[existing] = position } else {
        place[key] = kept.count
        kept.append(position)
      }
    }
    return kept.count == entries.count ? entries : entries.gathering(kept)
  }

  /// The variables a header lists (their values from `values` when read there already).
  private static func variables(of document: YAMLNode, values: [String: [LuaValue]] = [:]) -> [Variable] {
    (document["variables"]?.items ?? []).map { item in
      let name = item["name"]?.string ?? "?"
      return Variable(
        name: name, values: values[name] ?? item["values"]?.items.map(\.luaValue) ?? [],
        labels: item["labels"]?.items.map { $0.string ?? "" }, condition: item["when"]?.string)
    }
  }

  /// The header as a small document for libyaml (its run order already left out by
  /// `ExperimentText`'s splitter as the bytes arrived), with each variable's `values: [...]`
  /// line (as mpf writes it: one line) read here and left empty, those values returned by
  /// variable name: a variable of 100 000 values becomes 100 000 `LuaValue`s, not 100 000 YAML
  /// nodes first. A line in another form stays for libyaml.
  ///
  /// - Parameter readingValues: false when the values are not wanted (only left out).
  static func headerDocument(_ header: ArraySlice<UInt8>, readingValues: Bool = true) -> (text: String, values: [String: [LuaValue]]) {
    var values: [String: [LuaValue]] = [:]
    // Grown as it goes, not reserved at the header's size: without the run order and the
    // values, it is a small part of it (the header of 100 000 runs is 2 MB).
    var out: [UInt8] = []
    var inVariables = false
    var name: String?
    var lines = Lines(header)
    while let line = lines.next() {
      defer { out.append(10) }
      if line.first != 32, line.first != 45 { inVariables = line.elementsEqual("variables:".utf8) }
      var scanner = Scanner(line)
      if inVariables, scanner.skip("- name: ") { name = scanner.scalar()?.text }
      if inVariables, !readingValues, line.starts(with: "  values: [".utf8), line.last == 93 {
        out += "  values: []".utf8
        continue
      }
      if inVariables, let current = name, scanner.skip("  values: "), let list = scanner.flowSequence(), scanner.atEnd {
        values[current] = list
        out += "  values: []".utf8
        continue
      }
      out += line
    }
    if header.last != 10, !out.isEmpty { out.removeLast() }
    return (String(decoding: out, as: UTF8.self), values)
  }

  /// The dataframe of the stored runs.
  package var dataFrame: DataFrame { DataFrame(variables: variables, rows: rows) }

  /// The dataframe's table (`dataFrame.table`), with only the table's columns put in point order.
  package var table: Table { DataFrame.sortedTable(variables: variables, rows: rows) }

  /// A file cut in the middle of a write (power loss) ends in half a run: keep what precedes the
  /// last complete `- index:` entry when the whole does not parse.
  package static func prefixBeforeLastRun(of text: String) -> String {
    guard let last = text.ranges(of: "\n- index:").last else { return text }
    return String(text[..<last.lowerBound]) + "\n"
  }

  /// A run entry read through libyaml (what RunEntryReader must agree with).
  package static func row(_ item: YAMLNode, variables: [Variable], bad: (String, Int) -> Diagnostic) throws -> ResultRow {
    guard let index = item["index"]?.intValue, let repetitionNode = item["repetition"], let values = item["values"] else {
      throw bad("a run without index, repetition or values", item.line)
    }
    // A repetition mpf cannot have written (`mpf show` clamped 3000000000 to 2147483647).
    guard let repetition = repetitionNode.intValue, (0...NumberBounds.maxRuns).contains(repetition) else {
      let shown = (repetitionNode.string ?? "").escapingControlCharacters
      throw bad("its repetition '\(shown)' is not a whole number from 0 to \(NumberBounds.maxRuns): experiment.yaml was edited or damaged", repetitionNode.line)
    }
    var row = ResultRow(index: index, repetition: repetition, values: variables.map { values[$0.name]?.luaValue ?? .nil })
    for pair in item["results"]?.pairs ?? [] {
      let raw = pair.value["raw"] ?? pair.value
      row.results[pair.key] = ResultValue(raw: raw.luaValue)
      row.resultOrder.append(pair.key)
    }
    row.status = RunStatus(rawValue: item["status"]?.string ?? "") ?? .failed
    row.error = item["error"]?.string
    row.start = item["start"]?.string.flatMap(Clock.parseISO8601) ?? 0
    row.duration = item["duration"]?.doubleValue ?? 0
    row.log = item["log"]?.string
    row.files = item["files"]?.items.compactMap(\.string) ?? []
    return row
  }

  /// Memberwise.
  package init(directory: String, id: String, scriptPath: String, scriptCopy: String, arguments: [String], clusterCopy: String? = nil, seed: UInt64, runCount: Int, started: Double, resumed: [Double], variables: [Variable], rows: RunRecords, status: String? = nil) {
    self.directory = directory
    self.id = id
    self.scriptPath = scriptPath
    self.scriptCopy = scriptCopy
    self.arguments = arguments
    self.clusterCopy = clusterCopy
    self.seed = seed
    self.runCount = runCount
    self.started = started
    self.resumed = resumed
    self.variables = variables
    self.rows = rows
    self.status = status
  }
}

/// A run's identity across resumes: its variable values and repetition (not its position).
package struct RunKey: Hashable {
  private let values: [ValueKey]
  private let repetition: Int

  /// Numbers compare by value (1 and 1.0 are the same point), strings and booleans by text.
  package init(values: [LuaValue], repetition: Int) {
    self.values = values.map(ValueKey.init)
    self.repetition = repetition
  }
}
