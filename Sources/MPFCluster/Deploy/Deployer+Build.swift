internal import MPFCore
import MPFSystem
import MPFText

extension Deployer {
  /// Bytes kept of each output stream of a build step (its first and last halves): 300 MB of
  /// output must not become 300 MB of the controller's memory.
  static let buildOutputLimit = 1 << 20

  /// How a build step ended, as the controller saw it.
  enum BuildEnd: Equatable {
    /// It ran to its end with this exit status.
    case exited(Int32)
    /// It ran past the software's `build_timeout` and was ended, with its processes there.
    case timedOut
    /// The node (or the connection to it) was lost before the step's end was seen.
    case lost(String)
  }

  /// What the node runs for a build step: `command` in `folder`, in a session of its own, and a
  /// watcher (in another) that ends the step's whole group when the wrapper's standard input
  /// closes (the controller ended the step or went away: `LocalProgram`); then a line
  /// `MARKER STATUS`, so that a step that ran to its end is told from a lost node. Without
  /// setsid on the node, the step's own process is ended instead of its group.
  static func buildCommand(_ command: String, in folder: String, marker: String) -> String {
    // On a line of its own: `cd F && a & b` would leave b outside F, and a comment would hide what follows.
    let step = ShellQuote.quote("cd \(ShellQuote.quote(folder)) || exit\n\(command)")
    let end = "kill -TERM -$0 2>/dev/null || kill -TERM $0 2>/dev/null; sleep 2; kill -KILL -$0 2>/dev/null || kill -KILL $0 2>/dev/null"
    let watch = ShellQuote.quote("cat >/dev/null 2>&1; " + end)
    return """
      exec 3<&0 </dev/null; g=; command -v setsid >/dev/null 2>&1 && g=setsid; $g sh -c \(step) & p=$!; \
      $g sh -c \(watch) "$p" <&3 >/dev/null 2>&1 & w=$!; exec 3<&-; \
      wait $p; s=$?; kill -TERM -$w 2>/dev/null || kill -TERM $w 2>/dev/null; echo "\(marker) $s"
      """
  }

  /// How the step whose output is `output` ended, and that output without its end line.
  static func buildEnd(of output: CommandOutput, marker: String) -> (BuildEnd, CommandOutput) {
    var cleaned = output
    var lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let last = lines.lastIndex { $0.hasPrefix(marker + " ") }
    let status = last.flatMap { Int32(lines[$0].dropFirst(marker.count + 1)) }
    if let last {
      lines.remove(at: last)
      cleaned.stdout = lines.joined(separator: "\n")
    }
    if output.ending == .timedOut { return (.timedOut, cleaned) }
    guard let status else { return (.lost(output.errorSummary), cleaned) }
    return (.exited(status), cleaned)
  }

  /// Runs build step `index` (`command`) of `software` in `folder`, within its timeout: returns
  /// normally only when it exited 0.
  ///
  /// - Throws: `Diagnostic` saying whether the step failed (its exit status), ran past its
  ///   timeout, or lost its node; `CommandStopped` when mpf was told to stop.
  func buildStep(_ index: Int, _ command: String, of software: Software, label: String, in folder: String, on machine: Machine, log: DeployLog)
    async throws
  {
    let marker = "mpf-build-end-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    let limits = CommandLimits(timeout: software.buildTimeout, output: Self.buildOutputLimit, endsWithInput: true, grace: 5)
    let started = Clock.monotonic()
    let what = "build step \(index + 1) `\(command)`"
    let output: CommandOutput
    do {
      output = try await connector.execute(Self.buildCommand(command, in: folder, marker: marker), on: machine, limits: limits, endMarker: marker)
    } catch let error as TransportError {
      throw log.failure("\(label): the node was lost during \(what): \(error.message)", software: software, kind: .machine)
    }
    let (end, shown) = Self.buildEnd(of: output, marker: marker)
    log.record("[\(label)] \(command)", shown, seconds: Clock.monotonic() - started)
    switch end {
    case .exited(0): return
    case .exited(let status): throw log.failure("\(label): \(what) failed (exit status \(status))", shown, software: software)
    case .timedOut:
      throw log.failure(
        "\(label): \(what) ran past its timeout (\(Deployer.seconds(software.buildTimeout)) s) and was ended, with its processes there; "
          + "give mpf.software a larger build_timeout if it needs longer", shown, software: software)
    case .lost(let said): throw log.failure("\(label): the node was lost during \(what) (\(said))", shown, software: software, kind: .machine)
    }
  }
}
