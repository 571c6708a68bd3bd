package import MPFCore
package import MPFSystem
package import MPFText

/// The Slurm allocation mpf runs inside (`salloc`, `sbatch`): its job and its nodes.
package struct SlurmAllocation: Sendable {
  package var job: String
  /// The nodes as Slurm writes them (`h[1-5]`).
  package var nodeList: String
  /// The nodes one by one, as `scontrol show hostnames` expands them.
  package var nodes: [String]

  /// Reads SLURM_JOB_ID and SLURM_JOB_NODELIST.
  ///
  /// - Throws: `Diagnostic` at `file:line` when mpf does not run inside an allocation.
  package init(environment: [String: String], file: String, line: Int) throws {
    guard let job = environment["SLURM_JOB_ID"] ?? environment["SLURM_JOBID"], !job.isEmpty,
      let list = environment["SLURM_JOB_NODELIST"] ?? environment["SLURM_NODELIST"], !list.isEmpty
    else {
      throw Diagnostic(
        cluster: file, line: line, "this cluster takes its machines from a Slurm allocation, but mpf runs outside one (SLURM_JOB_ID is not set)",
        notes: ["run mpf inside an allocation: salloc -N 5 mpf SCRIPT -c \(FileSystem.basename(file)), or from an sbatch script"])
    }
    guard job.allSatisfy(\.isNumber) || job.allSatisfy({ $0.isNumber || $0 == "_" }) else {
      throw Diagnostic(cluster: file, line: line, "SLURM_JOB_ID '\(job.escapingControlCharacters)' is not a job id")
    }
    self.job = job
    nodeList = list
    do {
      nodes = try Self.expand(list)
    } catch let problem as HostlistError {
      throw Diagnostic(cluster: file, line: line, "SLURM_JOB_NODELIST '\(list.escapingControlCharacters)': \(problem.message)")
    }
  }

  struct HostlistError: Error {
    var message: String
  }

  /// Expands a Slurm host list: `h[1-3,5],gpu[01-02]-ib` → h1 h2 h3 h5 gpu01-ib gpu02-ib;
  /// several brackets in a name multiply; a range keeps the width of its first bound.
  static func expand(_ list: String) throws -> [String] {
    var names: [String] = []
    var depth = 0
    var current = ""
    for character in list {
      switch character {
      case "[": depth += 1
      case "]":
        depth -= 1
        if depth < 0 { throw HostlistError(message: "a ']' without its '['") }
      case "," where depth == 0:
        names += try expandName(current)
        current = ""
        continue
      default: break
      }
      current.append(character)
    }
    if depth != 0 { throw HostlistError(message: "a '[' without its ']'") }
    names += try expandName(current)
    var seen: Set<String> = []
    return names.filter { seen.insert($0).inserted }
  }

  private static func expandName(_ name: String) throws -> [String] {
    let name = name.trimmed()
    if name.isEmpty { return [] }
    guard let open = name.firstIndex(of: "[") else { return [name] }
    guard let close = name[open...].firstIndex(of: "]") else { throw HostlistError(message: "a '[' without its ']'") }
    let prefix = String(name[..<open])
    let suffixes = try expandName(String(name[name.index(after: close)...]))
    var result: [String] = []
    for part in name[name.index(after: open)..<close].split(separator: ",", omittingEmptySubsequences: false) {
      let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
      guard (1...2).contains(bounds.count), let low = Int(bounds[0]), let high = Int(bounds.last!), low <= high,
        bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }), high - low < 100_000
      else { throw HostlistError(message: "'[\(part)]' is not a number or a range of numbers") }
      let width = bounds[0].count
      for number in low...high {
        let digits = String(number)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        for suffix in suffixes.isEmpty ? [""] : suffixes { result.append(prefix + padded + suffix) }
      }
    }
    return result
  }

  /// Each node's address as Slurm knows it (`NodeAddr` of `scontrol show node`), so that
  /// `ctx.roles[role][i].interfaces[1].ip` is the address the node is reached at; empty when
  /// scontrol is not there.
  static func nodeAddresses(environment: [String: String]) -> [String: String] {
    guard let output = try? Subprocess.output(["scontrol", "show", "node", "-o"]), output.status == 0 else { return [:] }
    var addresses: [String: String] = [:]
    for line in output.stdout.lines() {
      var fields: [String: String] = [:]
      for word in line.split(separator: " ") {
        guard let equals = word.firstIndex(of: "=") else { continue }
        fields[String(word[..<equals])] = String(word[word.index(after: equals)...])
      }
      if let name = fields["NodeName"], let address = fields["NodeAddr"] { addresses[name] = address }
    }
    return addresses
  }
}
