package import MPFCore
package import MPFYAML
package import MPFSystem
package import MPFText

/// A cluster file's `pool:`: machines handed out as a list (a Slurm allocation, a node file
/// such as OAR's, or `hosts:`), given to roles by count (`server: 1, client: rest`) in order.
/// docs/cluster-format.md describes it.
package enum MachinePool {
  private static let keys = ["slurm", "nodefile", "hosts", "user", "port", "roles", "spares", "software_dir"]

  /// The cluster a `pool:` mapping describes.
  ///
  /// - Throws: `Diagnostic` at the line to change (no allocation, too few machines, ...).
  static func cluster(_ pool: YAMLNode, file: String, environment: [String: String]) throws -> Cluster {
    let reader = ClusterSpec.Reader(file: file)
    try reader.expectKeys(pool, allowed: keys, what: "the pool")
    let sources = ["slurm", "nodefile", "hosts"].filter { pool[$0] != nil }
    guard sources.count == 1 else {
      throw Diagnostic(
        cluster: file, line: pool.line, sources.isEmpty ? "the pool needs its machines: 'slurm: true', 'nodefile: FILE' or 'hosts: [...]'" : "give one of \(sources.joined(separator: ", ")), not several")
    }
    let source =
      try pool["slurm"] != nil
      ? fromSlurm(pool, reader: reader, environment: environment)
      : pool["nodefile"] != nil ? fromNodeFile(pool, reader: reader, environment: environment) : fromHostsList(pool, reader: reader)
    let (hosts, origin) = (source.hosts, source.origin)
    for host in hosts where host.isEmpty || host.hasPrefix("-") || host.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 32 } == true }) {
      throw Diagnostic(cluster: file, line: pool.line, "'\(host.escapingControlCharacters)' (from the \(origin)) is not a host name")
    }
    let user = try reader.string(pool, "user")
    let port = try reader.int(pool, "port")
    let (roles, spares) = try counts(pool, reader: reader)
    let folder = try ClusterSpec.softwareDirectory(pool, reader: reader)
    let machines = hosts.map { host in
      var machine = Machine(hostname: host, user: user, port: port)
      machine.softwareDirectory = folder
      return machine
    }
    var cluster = Cluster(
      assignments: try split(machines, roles: roles, spares: spares, file: file, line: pool["roles"]?.line ?? pool.line, origin: origin) { machine in
        [Interface(name: "primary", ip: source.addresses[machine.hostname] ?? ThisProcess.address(of: machine.hostname) ?? machine.hostname)]
      },
      file: file)
    cluster.launcher = source.launcher
    cluster.pool = origin
    return cluster
  }

  /// Where a pool's machines come from: their names, addresses known without asking DNS (a
  /// Slurm job's), how workers start on them, and what to call the source in messages.
  private struct Source {
    var hosts: [String]
    var addresses: [String: String] = [:]
    var launcher = Cluster.Launcher.ssh
    var origin: String
  }

  /// `slurm: true`: the nodes of the Slurm job mpf runs in, workers started with srun.
  private static func fromSlurm(_ pool: YAMLNode, reader: ClusterSpec.Reader, environment: [String: String]) throws -> Source {
    let file = reader.file
    guard try reader.bool(pool, "slurm") == true else {
      throw Diagnostic(cluster: file, line: pool["slurm"]!.line, "'slurm:' must be true (or leave the key out)")
    }
    for key in ["user", "port"] where pool[key] != nil {
      throw Diagnostic(cluster: file, line: pool[key]!.line, "'\(key)' does not apply to a Slurm pool: its workers start with srun, not ssh")
    }
    let allocation = try SlurmAllocation(environment: environment, file: file, line: pool["slurm"]!.line)
    return Source(
      hosts: allocation.nodes, addresses: SlurmAllocation.nodeAddresses(environment: environment),
      launcher: .srun(job: allocation.job), origin: "Slurm job \(allocation.job) (\(allocation.nodeList))")
  }

  /// `nodefile: FILE` (or `$VARIABLE` naming it): one host a line.
  private static func fromNodeFile(_ pool: YAMLNode, reader: ClusterSpec.Reader, environment: [String: String]) throws -> Source {
    let file = reader.file
    let node = pool["nodefile"]!
    guard var path = try reader.string(pool, "nodefile") else {
      throw Diagnostic(cluster: file, line: node.line, "'nodefile' must be the path of a file with one host a line")
    }
    if path.hasPrefix("$") {
      let name = String(path.dropFirst().filter { $0 != "{" && $0 != "}" })
      guard let value = environment[name], !value.isEmpty else {
        throw Diagnostic(cluster: file, line: node.line, "'nodefile: \(path)': the environment variable \(name) is not set", notes: ["run mpf inside the job that sets it, or give the file's path"])
      }
      path = value
    }
    if !path.hasPrefix("/") { path = FileSystem.join(FileSystem.dirname(file), path) }
    let text: String
    do {
      text = try FileSystem.readString(path)
    } catch {
      throw Diagnostic(cluster: file, line: node.line, "cannot read the node file \(path): \(error)")
    }
    return Source(hosts: try nodeFile(text, path: path), origin: "node file \(path)")
  }

  /// `hosts: [...]`: the names given.
  private static func fromHostsList(_ pool: YAMLNode, reader: ClusterSpec.Reader) throws -> Source {
    let list = pool["hosts"]!
    let hosts = try list.items.map { item in
      guard let host = item.string else { throw Diagnostic(cluster: reader.file, line: item.line, "each of 'hosts' must be a host name") }
      return host
    }
    guard case .sequence = list, !hosts.isEmpty else {
      throw Diagnostic(cluster: reader.file, line: list.line, "'hosts' must be a non-empty list of host names")
    }
    return Source(hosts: hosts, origin: "hosts list")
  }

  /// `roles:` (name → count or `rest`, in order) and `spares:` (name → count).
  private static func counts(_ pool: YAMLNode, reader: ClusterSpec.Reader) throws -> (roles: [(String, Int?)], spares: [String: Int]) {
    let file = reader.file
    guard let roles = pool["roles"], case .mapping(let pairs, _, _) = roles, !pairs.isEmpty else {
      throw Diagnostic(
        cluster: file, line: pool["roles"]?.line ?? pool.line, "the pool needs 'roles:', how many machines each role gets",
        notes: ["for example: roles: {server: 1, client: rest}"])
    }
    var result: [(String, Int?)] = []
    for (name, value) in pairs {
      let role = try reader.identifier(name, at: value)
      if value.string == "rest" {
        if result.contains(where: { $0.1 == nil }) { throw Diagnostic(cluster: file, line: value.line, "only one role can take the 'rest' of the pool") }
        result.append((role, nil))
      } else if let count = value.intValue, count >= 1 {
        result.append((role, count))
      } else {
        throw Diagnostic(cluster: file, line: value.line, "role '\(role)': give a number of machines (1 or more) or 'rest'")
      }
    }
    var spares: [String: Int] = [:]
    if let node = pool["spares"] {
      guard case .mapping(let pairs, _, _) = node else {
        throw Diagnostic(cluster: file, line: node.line, "'spares' must map roles to a number of machines: spares: {client: 1}")
      }
      for (name, value) in pairs {
        guard result.contains(where: { $0.0 == name }) else {
          throw Diagnostic(cluster: file, line: value.line, "spares of role '\(name)', which 'roles:' does not give")
        }
        guard let count = value.intValue, count >= 1 else {
          throw Diagnostic(cluster: file, line: value.line, "spares of role '\(name)': give a number of machines (1 or more)")
        }
        spares[name] = count
      }
    }
    return (result, spares)
  }

  /// Hands `machines` out in order: each role its count, then the spares; `rest` gets what is left.
  static func split(
    _ machines: [Machine], roles: [(String, Int?)], spares: [String: Int], file: String, line: Int, origin: String,
    interfaces: (Machine) -> [Interface]
  ) throws -> [RoleAssignment] {
    let fixed = roles.compactMap(\.1).reduce(0, +) + spares.values.reduce(0, +)
    let rest = machines.count - fixed
    let asked = roles.map { "\($0.0): \($0.1.map(String.init) ?? "rest")" }.joined(separator: ", ")
    let hasRest = roles.contains { $0.1 == nil }
    if rest < (hasRest ? 1 : 0) {
      throw Diagnostic(
        cluster: file, line: line,
        "the pool has \(machines.count) machine\(machines.count == 1 ? "" : "s") (\(origin)) but its roles need \(fixed + (hasRest ? 1 : 0)) or more (\(asked)\(spares.isEmpty ? "" : "; spares: \(spares.values.reduce(0, +))"))",
        notes: ["ask for more machines, or give the roles fewer"])
    }
    var next = 0
    var assignments: [RoleAssignment] = []
    for (role, count) in roles {
      for _ in 0..<(count ?? rest) {
        assignments.append(RoleAssignment(role: role, machine: machines[next], interfaces: interfaces(machines[next])))
        next += 1
      }
    }
    for (role, _) in roles {
      for _ in 0..<(spares[role] ?? 0) {
        assignments.append(RoleAssignment(role: role, machine: machines[next], interfaces: interfaces(machines[next]), spare: true))
        next += 1
      }
    }
    return assignments
  }

  /// The hosts of a node file: one a line, `#` comments and blank lines skipped, a host listed
  /// again (OAR lists a host once per core) kept once, in first-seen order.
  static func nodeFile(_ text: String, path: String) throws -> [String] {
    var seen: Set<String> = []
    var hosts: [String] = []
    for (number, line) in text.lines().enumerated() {
      let host = String(line.prefix { $0 != "#" }).trimmed()
      if host.isEmpty { continue }
      if host.contains(where: \.isWhitespace) {
        throw Diagnostic(cluster: path, line: number + 1, "'\(host.escapingControlCharacters)' is not a host name: a node file has one host a line")
      }
      if seen.insert(host).inserted { hosts.append(host) }
    }
    guard !hosts.isEmpty else { throw Diagnostic(cluster: path, line: 0, "the node file lists no host") }
    return hosts
  }
}
