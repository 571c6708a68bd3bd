import MPFCore
import MPFYAML
import MPFResults
import MPFCluster
import MPFWorker
import MPFHost
import MPFSystem
import MPFText
#if canImport(Glibc)
  import Glibc
#endif

/// The result of running the built `mpf`.
struct CommandResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs the built `mpf` binary with `arguments` in `directory`, with a marker in its
/// environment so that tests can find every process it left behind.
enum MPFCommand {
  static var binary: String { FileSystem.join(FileSystem.dirname(FileSystem.currentExecutable()), "mpf") }
  static var repository: String { FileSystem.dirname(FileSystem.dirname(FileSystem.dirname(#filePath))) }

  /// Waits for `pid` on a thread of its own. Tests run on Swift's cooperative pool, one thread
  /// per core: two tests blocked in waitpid on a 2-core machine starve every other test, whose
  /// time limits then run out before they even start.
  /// A test past its time limit is cancelled: the process is then killed, so that the wait
  /// ends, the test ends with its failure, and nothing it started slows the other tests.
  static func wait(_ pid: pid_t) async -> Int32 {
    await withTaskCancellationHandler {
      await withCheckedContinuation { done in startThread { done.resume(returning: Subprocess.wait(pid)) } }
    } onCancel: {
      kill(pid, SIGKILL)
    }
  }

  /// Sleeps without holding a thread of the cooperative pool.
  static func pause(_ seconds: Double) async {
    try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
  }

  static func fixture(_ name: String) -> String {
    FileSystem.join(FileSystem.join(FileSystem.dirname(#filePath), "Fixtures"), name)
  }

  static func run(_ arguments: [String], in directory: String, marker: String = "none", prefix: [String] = []) async throws -> CommandResult {
    let process = try start(arguments, in: directory, marker: marker, prefix: prefix)
    let status = await MPFCommand.wait(process.pid)
    return CommandResult(
      status: status, stdout: (try? FileSystem.readString(process.stdoutPath)) ?? "",
      stderr: (try? FileSystem.readString(process.stderrPath)) ?? "")
  }

  /// Starts `mpf` without waiting; output goes to files in `directory`.
  static func start(_ arguments: [String], in directory: String, marker: String = "none", prefix: [String] = []) throws
    -> (pid: pid_t, stdoutPath: String, stderrPath: String)
  {
    let out = FileSystem.join(directory, ".stdout-\(marker)")
    let err = FileSystem.join(directory, ".stderr-\(marker)")
    let quoted = (prefix + [binary] + arguments).map(ShellQuote.quote).joined(separator: " ")
    let process = try Subprocess.spawn(
      ["sh", "-c", "cd '\(directory)' && exec \(quoted) > '\(out)' 2> '\(err)'"],
      environment: Shell.currentEnvironment() + ["MPF_TEST_MARKER=\(marker)"])
    return (process.pid, out, err)
  }

  /// Runs any program (not mpf) in `directory` and waits for it.
  static func runProgram(_ arguments: [String], in directory: String, environment: [String] = []) async throws -> CommandResult {
    let out = FileSystem.join(directory, ".program-stdout")
    let err = FileSystem.join(directory, ".program-stderr")
    let quoted = arguments.map(ShellQuote.quote).joined(separator: " ")
    let process = try Subprocess.spawn(
      ["sh", "-c", "cd \(ShellQuote.quote(directory)) && exec \(quoted) > \(ShellQuote.quote(out)) 2> \(ShellQuote.quote(err)) < /dev/null"],
      environment: Shell.currentEnvironment() + environment)
    let status = await MPFCommand.wait(process.pid)
    return CommandResult(
      status: status, stdout: (try? FileSystem.readString(out)) ?? "", stderr: (try? FileSystem.readString(err)) ?? "")
  }

  /// Live processes whose environment carries `marker`.
  static func processes(marked marker: String) -> [pid_t] {
    let mark = Array("MPF_TEST_MARKER=\(marker)".utf8)
    return FileSystem.directoryEntries("/proc").compactMap { pid_t($0) }.filter { pid in
      guard !ProcessTree.hasEnded(pid), let environ = try? FileSystem.read("/proc/\(pid)/environ") else { return false }
      return environ.split(separator: 0).contains { $0.elementsEqual(mark) }
    }
  }

  /// `MPF_RECORD=1`: golden files are written anew instead of compared.
  static var recording: Bool { getenv("MPF_RECORD").map { String(cString: $0) } == "1" }

  /// `text` with what changes from run to run replaced: experiment ids and durations.
  static func normalised(_ text: String) -> String {
    var out = ""
    var rest = Substring(text)
    while let range = rest.firstRange(of: "mpf_experiments/") {
      out += rest[..<range.upperBound]
      rest = rest[range.upperBound...]
      let id = rest.prefix { $0.isHexDigit }
      if id.count == 8 {
        out += "ID"
        rest = rest.dropFirst(8)
      }
    }
    out += rest
    return out.lines().map { line in
      // "... in 0.0123 s; results: ..." → "in N s"
      guard let at = line.firstRange(of: " runs in "), let end = line[at.upperBound...].firstRange(of: " s;") else { return line }
      return String(line[..<at.upperBound]) + "N" + String(line[end.lowerBound...])
    }.joined(separator: "\n") + (text.isEmpty ? "" : "\n")
  }

  static func uniqueMarker() -> String {
    var generator = SystemRandomNumberGenerator()
    return String(UInt64.random(in: 1...UInt64.max, using: &generator), radix: 36)
  }

  static func temporaryDirectory() -> String { (try? TemporaryDirectory.make("mpf-e2e")) ?? "/tmp" }

  /// The single experiment directory made under `directory/mpf_experiments`.
  static func experimentDirectory(in directory: String) -> String? {
    let parent = FileSystem.join(directory, "mpf_experiments")
    return FileSystem.directoryEntries(parent).first.map { FileSystem.join(parent, $0) }
  }

  /// Waits (up to 30 s) until the experiment under `directory` has `count` runs in its file.
  static func waitForRuns(_ count: Int, in directory: String) async {
    let deadline = Clock.monotonic() + 30
    while Clock.monotonic() < deadline {
      if let experiment = experimentDirectory(in: directory),
        let text = try? FileSystem.readString(FileSystem.join(experiment, "experiment.yaml")), text.components("\n- index:") >= count
      {
        return
      }
      await MPFCommand.pause(0.02)
    }
  }

  static func experimentYAML(in directory: String) throws -> YAMLNode? {
    guard let dir = experimentDirectory(in: directory) else { return nil }
    return try YAMLParser.parse(try FileSystem.readString(FileSystem.join(dir, "experiment.yaml")))
  }
}
