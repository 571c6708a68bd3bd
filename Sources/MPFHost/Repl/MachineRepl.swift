internal import MPFCore
internal import MPFResults
internal import MPFScript
import Synchronization
import MPFSystem
import MPFText

/// `mpf repl --machine`: the REPL's session driven by a program (the Jupyter kernel of
/// python/mpf_jupyter) over pipes. Requests come on standard input, each a header line
/// `run ID BYTES` or `complete ID BYTES` and then BYTES bytes of code (a cell) or of the word
/// to complete. What the code prints, and what `ex` and workers print, goes to standard output
/// and standard error as in `mpf repl`; the answers are JSON lines on descriptor 3:
/// `{"ready":true}` once the session is open, then for each request
/// `{"id":ID,"display":{"text":...,"dataframe":{columns,data}|"svg":PATH}}` (a cell's final
/// value), `{"id":ID,"error":MESSAGE}`, `{"id":ID,"complete":[...]}` and `{"id":ID,"done":true}`.
/// A cell is a chunk: statements run, a final expression is shown. SIGINT stops what a cell
/// runs, as Ctrl-C does in `mpf repl` (an experiment keeps its finished runs).
package final class MachineRepl {
  private let runner: ExperimentRunner
  private let answers = Descriptor(raw: 3)
  private var pending: [UInt8] = []

  package init(options: RunOptions) {
    runner = ExperimentRunner(options: options)
  }

  /// Serves requests until standard input ends.
  ///
  /// - Throws: what stops the session before the first request (a cluster file or script
  ///   that fails), or descriptor 3 not being open.
  package func run() throws -> ExitStatus {
    defer { runner.close() }
    // The program that drives it (the kernel) killed: SIGTERM ends this session as its end of
    // standard input would (what runs stops, workers and ssh connections end), instead of
    // leaving it running until the experiment it runs is over.
    try? ThisProcess.signalWhenParentEnds(.terminate)
    _ = try answers.status(path: "descriptor 3 (mpf repl --machine answers there)")
    _ = try runner.openInteractive()
    try send("{\"ready\":true}")
    let shared = SharedRunner(runner)
    shared.forwardInterrupts()
    defer { Interrupts.restore() }
    while let (kind, id, payload) = try nextRequest() {
      let tag = "{\"id\":\(JSONText.string(id)),"
      switch kind {
      case "run":
        let answer = shared.running { evaluate(payload) }
        FileSystem.writeStdout("")  // what Lua's stdio holds, before the answer
        if let answer { try send(tag + answer + "}") }
      case "complete":
        let list = runner.completions(of: payload).map(JSONText.string).joined(separator: ",")
        try send(tag + "\"complete\":[\(list)]}")
      default:
        try send(tag + "\"error\":\(JSONText.string("mpf repl --machine: unknown request '\(kind)' (run or complete)"))}")
      }
      try send(tag + "\"done\":true}")
    }
    return .success
  }

  /// Runs a cell: the answer's field (`"display":...` or `"error":...`), nil when it shows nothing.
  private func evaluate(_ code: String) -> String? {
    let evaluation: ExperimentScript.Evaluation
    do {
      evaluation = code.trimmed().isEmpty ? .ran(output: "", ran: "") : try runner.evaluate(code)
    } catch {
      evaluation = .failed(ErrorReport(error).message, ran: nil)
    }
    switch evaluation {
    case .incomplete:
      return "\"error\":" + JSONText.string("stdin: the cell ends inside an unfinished statement (a missing 'end' or ')'?)")
    case .failed(let message, _):
      return "\"error\":" + JSONText.string(message)
    case .ran(let output, _):
      guard !output.isEmpty else { return nil }
      var fields = ["\"text\":" + JSONText.string(output)]
      switch runner.display() {
      case ("dataframe", let json)?: fields.append("\"dataframe\":" + json)
      case ("svg", let path)?: fields.append("\"svg\":" + JSONText.string(path))
      default: break
      }
      return "\"display\":{" + fields.joined(separator: ",") + "}"
    }
  }

  private func send(_ line: String) throws {
    try answers.write(Array((line + "\n").utf8), path: "descriptor 3")
  }

  /// The next request: its kind, id and payload; nil at the end of standard input.
  private func nextRequest() throws -> (String, String, String)? {
    guard let header = try readLine() else { return nil }
    let parts = header.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard parts.count == 3, let count = Int(parts[2]), count >= 0 else {
      throw Diagnostic(.usage, "mpf repl --machine: a request header is 'run ID BYTES' or 'complete ID BYTES', not '\(header.prefix(80))'")
    }
    while pending.count < count {
      guard try fill() else { throw Diagnostic(.usage, "mpf repl --machine: standard input ended inside request \(parts[1])") }
    }
    let payload = String(decoding: pending[..<count], as: UTF8.self)
    pending.removeSubrange(..<count)
    return (parts[0], parts[1], payload)
  }

  private func readLine() throws -> String? {
    while true {
      if let newline = pending.firstIndex(of: 10) {
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeSubrange(...newline)
        return line
      }
      guard try fill() else { return nil }
    }
  }

  private func fill() throws -> Bool {
    var buffer = [UInt8](repeating: 0, count: 65536)
    let n = try Descriptor.standardInput.read(into: &buffer, path: "standard input")
    pending += buffer[0..<n]
    return n > 0
  }
}
