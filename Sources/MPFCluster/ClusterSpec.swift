package import MPFCore
internal import MPFYAML
package import MPFSystem
package import MPFText
/// Reads a cluster file (docs/cluster-format.md): the original mpf's `machines:` list.
///
/// Everything is checked before anything connects: a wrong file is refused with its file:line
/// and what to change.
package enum ClusterSpec {
  private static let topKeys = ["machines", "pool", "ssh_config", "connect_timeout"]
  private static let machineKeys = ["hostname", "user", "port", "role", "interfaces", "namespaces", "software_dir", "spare"]
  private static let namespaceKeys = ["role", "namespace", "cpu_id", "interfaces", "spare"]
  private static let interfaceKeys = ["name", "ip", "link", "direction", "neighbour"]

  /// Reads and checks `path`.
  ///
  /// - Throws: `Diagnostic` (or `YAMLError` for text that is not YAML), located.
  package static func load(_ path: String) throws -> Cluster {
    let text: String
    do {
      // A regular file of sane size: a FIFO would hang mpf, /dev/zero grow it without bound.
      text = String(decoding: try FileSystem.readRegularFile(path, atMost: 16 << 20, what: "cluster file"), as: UTF8.self)
    } catch {
      throw Diagnostic(cluster: path, line: 0, "cannot read the cluster file: \(error)")
    }
    return try parse(text, file: path)
  }

  package static func parse(_ text: String, file: String, environment: [String: String] = ThisProcess.environment) throws -> Cluster {
    let root: YAMLNode
    do {
      guard let parsed = try YAMLParser.parse(text, file: file) else {
        throw Diagnostic(cluster: file, line: 0, "the cluster file is empty; it needs a 'machines:' list")
      }
      root = parsed
    } catch let error as YAMLError {
      throw Diagnostic(cluster: file, line: error.line, "not valid YAML: \(error.message)")
    }
    let reader = Reader(file: file)
    try reader.expectKeys(root, allowed: topKeys, what: "the cluster file")
    var cluster: Cluster
    if let pool = root["pool"] {
      if let machines = root["machines"] {
        throw Diagnostic(
          cluster: file, line: machines.line, "give 'machines:' or 'pool:', not both",
          notes: ["a pool hands its machines to roles by count; list machines one by one under 'machines:' instead"])
      }
      cluster = try MachinePool.cluster(pool, file: file, environment: environment)
    } else {
      cluster = Cluster(assignments: try machines(root, reader: reader), file: file)
    }
    if let config = try reader.string(root, "ssh_config") {
      cluster.sshConfig = config.hasPrefix("/") || config.hasPrefix("~") ? config : FileSystem.join(FileSystem.dirname(file), config)
    }
    if let timeout = try reader.int(root, "connect_timeout") { cluster.connectTimeout = max(1, timeout) }
    try checkNames(cluster, file: file)
    return cluster
  }

  /// `software_dir:` of a machine or a pool, checked: absolute or under ~/, no quote.
  static func softwareDirectory(_ node: YAMLNode, reader: Reader) throws -> String? {
    guard let folder = try reader.string(node, "software_dir") else { return nil }
    guard folder.hasPrefix("/") || folder.hasPrefix("~/"), !folder.contains(where: { $0 == "'" || $0.asciiValue.map { $0 < 32 } == true }) else {
      throw Diagnostic(
        cluster: reader.file, line: node["software_dir"]?.line ?? node.line,
        "software_dir '\(folder.escapingControlCharacters)' must be an absolute path or start with ~/ (and hold no quote)")
    }
    return folder
  }

  /// A worker's name (`client2`) must not be another role's: results and logs are named by it.
  private static func checkNames(_ cluster: Cluster, file: String) throws {
    let roles = Set(cluster.roleNames)
    for assignment in cluster.assignments where assignment.name != assignment.role && roles.contains(assignment.name) {
      throw Diagnostic(
        cluster: file, line: 0,
        "machine \(assignment.index) of role '\(assignment.role)' would be named '\(assignment.name)', which is also a role",
        notes: ["rename role '\(assignment.name)': a role's machines are named ROLE1, ROLE2, ... in results and logs"])
    }
  }

  /// The `machines:` list: each machine's role and namespaces, a role given on several machines
  /// having them all, in file order.
  private static func machines(_ root: YAMLNode, reader: Reader) throws -> [RoleAssignment] {
    let file = reader.file
    guard let machines = root["machines"], case .sequence(let items, _, _) = machines, !items.isEmpty else {
      throw Diagnostic(cluster: file, line: root["machines"]?.line ?? root.line, "'machines:' must be a non-empty list of machines")
    }
    var assignments = Assignments(file: file)
    for item in items {
      try reader.expectKeys(item, allowed: machineKeys, what: "a machine")
      let machine = try machine(item, reader: reader)
      let role = try reader.string(item, "role")
      let spare = try reader.bool(item, "spare") ?? false
      let namespaces = item["namespaces"]?.items ?? []
      if role == nil && namespaces.isEmpty {
        throw Diagnostic(cluster: file, line: item.line, "machine '\(machine.hostname)' has neither a 'role' nor 'namespaces'")
      }
      if let role {
        try assignments.add(
          RoleAssignment(
            role: try reader.identifier(role, at: item["role"]), machine: machine, interfaces: try reader.interfaces(item), spare: spare),
          line: item["role"]?.line ?? item.line)
      } else if item["interfaces"] != nil {
        throw Diagnostic(cluster: file, line: item["interfaces"]?.line ?? item.line, "'interfaces' belong to a role: add 'role:' to this machine")
      }
      for entry in namespaces {
        try assignments.add(try namespaced(entry, on: machine, spare: spare, reader: reader), line: entry["role"]?.line ?? entry.line)
      }
    }
    // A spare stands in for a machine of its role: a role of spares only would never run.
    let all = assignments.all
    for spare in all where spare.spare && !all.contains(where: { $0.role == spare.role && !$0.spare }) {
      let line = items.first { $0["hostname"]?.string == spare.machine.hostname }?.line ?? 0
      throw Diagnostic(cluster: file, line: line, "role '\(spare.role)' has spares but no machine", notes: ["give one machine of the role without 'spare: true'"])
    }
    return all
  }

  /// The roles placed so far; the same role twice in the same place would be two workers doing
  /// the same thing.
  private struct Assignments {
    let file: String
    private(set) var all: [RoleAssignment] = []
    private var placeLines: [String: Int] = [:]

    init(file: String) { self.file = file }

    mutating func add(_ assignment: RoleAssignment, line: Int) throws {
      let place = "\(assignment.role)\u{0}\(assignment.machine.displayName)\u{0}\(assignment.namespace ?? "")"
      if let first = placeLines[place] {
        throw Diagnostic(
          cluster: file, line: line, "role '\(assignment.role)' is given twice on the same machine\(assignment.namespace == nil ? "" : " and namespace")",
          notes: ["first given at \(file):\(first)", "a role may have several machines, each once"])
      }
      placeLines[place] = line
      all.append(assignment)
    }
  }

  /// A machine's host, user, port and software folder, each checked.
  private static func machine(_ item: YAMLNode, reader: Reader) throws -> Machine {
    let file = reader.file
    guard let hostname = try reader.string(item, "hostname") else {
      throw Diagnostic(cluster: file, line: item.line, "a machine needs a 'hostname'")
    }
    let port = try reader.int(item, "port")
    if let port, !(1...65535).contains(port) {
      throw Diagnostic(cluster: file, line: item["port"]?.line ?? item.line, "port \(port) is not between 1 and 65535")
    }
    // ssh must never read a host or user name as an option (`-oProxyCommand=...`).
    if hostname.isEmpty || hostname.hasPrefix("-") || hostname.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 32 } == true }) {
      throw Diagnostic(
        cluster: file, line: item["hostname"]?.line ?? item.line,
        "hostname '\(hostname.escapingControlCharacters)' is not a host name: it is empty, starts with '-' or holds spaces")
    }
    let user = try reader.string(item, "user")
    if let user, user.isEmpty || user.hasPrefix("-") || user.contains(where: { $0.isWhitespace }) {
      throw Diagnostic(cluster: file, line: item["user"]?.line ?? item.line, "user '\(user)' is not a user name: it is empty, starts with '-' or holds spaces")
    }
    var machine = Machine(hostname: hostname, user: user, port: port)
    machine.softwareDirectory = try softwareDirectory(item, reader: reader)
    return machine
  }

  /// One of a machine's `namespaces:`: a role in a network namespace, maybe on one CPU.
  private static func namespaced(_ entry: YAMLNode, on machine: Machine, spare: Bool, reader: Reader) throws -> RoleAssignment {
    let file = reader.file
    try reader.expectKeys(entry, allowed: namespaceKeys, what: "a namespace")
    guard let role = try reader.string(entry, "role"), let namespace = try reader.string(entry, "namespace") else {
      throw Diagnostic(cluster: file, line: entry.line, "a namespace needs a 'role' and a 'namespace' (its name on the machine)")
    }
    let cpu = try reader.int(entry, "cpu_id")
    if let cpu, cpu < 0 { throw Diagnostic(cluster: file, line: entry["cpu_id"]?.line ?? entry.line, "cpu_id must be >= 0") }
    return RoleAssignment(
      role: try reader.identifier(role, at: entry["role"]), machine: machine, namespace: namespace, cpu: cpu,
      interfaces: try reader.interfaces(entry), spare: try reader.bool(entry, "spare") ?? spare)
  }

  /// Checks that every role the experiment uses has a machine.
  ///
  /// - Throws: `Diagnostic` naming the role and where the script uses it.
  package static func check(_ cluster: Cluster, covers experiment: Experiment) throws {
    let known = Set(cluster.workers.map(\.role))
    for role in experiment.roles where !known.contains(role) {
      let user = experiment.functions.first { function in
        switch function.target {
        case .role(let name): name == role
        case .roleVariable(let name): experiment.variables.first { $0.name == name }?.values.contains(.string(role)) ?? false
        case .link: false
        }
      }
      let place = user.map { " (used at \($0.location))" } ?? ""
      throw Diagnostic(
        cluster: cluster.file ?? "cluster", line: 0, "role '\(role)'\(place) has no machine in the cluster",
        notes: ["roles in the cluster: \(cluster.roleNames.joined(separator: ", "))",
                cluster.isPool
                  ? "add '\(role): COUNT' (or 'rest') to the pool's 'roles:'"
                  : "add a machine with 'role: \(role)', or a namespace with 'role: \(role)'"])
    }
    for software in experiment.software {
      for role in software.roles where !known.contains(role) {
        throw Diagnostic(
          .usage, "mpf.software '\(software.name)': role '\(role)' has no machine in the cluster", at: software.location,
          notes: ["roles in the cluster: \(cluster.roleNames.joined(separator: ", "))"])
      }
    }
    // A link function whose link no interface has would run nowhere: say so at its line.
    let links = Set(cluster.assignments.flatMap { $0.interfaces.compactMap(\.link) })
    for function in experiment.functions {
      guard case .link(let link) = function.target, !links.contains(link) else { continue }
      let known = links.isEmpty
        ? (cluster.file == nil
          ? "without a cluster file (-c) there are no links: every role has one interface, lo"
          : "the cluster's interfaces name no link (give them 'link: NAME')")
        : "links in the cluster: \(links.sorted().joined(separator: ", "))"
      throw Diagnostic(.usage, "link '\(link)' is not on any interface of the cluster, so this function would run nowhere",
        at: function.location, notes: [known])
    }
  }

  struct Reader {
    let file: String

    func bool(_ node: YAMLNode, _ key: String) throws -> Bool? {
      guard let value = node[key] else { return nil }
      switch value.luaValue {
      case .boolean(let b): return b
      default: throw Diagnostic(cluster: file, line: value.line, "'\(key)' must be true or false")
      }
    }

    func expectKeys(_ node: YAMLNode, allowed: [String], what: String) throws {
      guard case .mapping(let pairs, _, _) = node else {
        throw Diagnostic(cluster: file, line: node.line, "\(what) must be a mapping of keys to values")
      }
      for pair in pairs where !allowed.contains(pair.key) {
        throw Diagnostic(
          cluster: file, line: pair.value.line, "unknown key '\(pair.key)' in \(what)", notes: ["known keys: \(allowed.joined(separator: ", "))"])
      }
    }

    func string(_ node: YAMLNode, _ key: String) throws -> String? {
      guard let value = node[key] else { return nil }
      guard case .scalar(let text, _, _) = value, value.string != nil else {
        throw Diagnostic(cluster: file, line: value.line, "'\(key)' must be a single value")
      }
      return text
    }

    func int(_ node: YAMLNode, _ key: String) throws -> Int? {
      guard let value = node[key] else { return nil }
      guard let number = value.intValue else {
        throw Diagnostic(cluster: file, line: value.line, "'\(key)' must be a whole number")
      }
      return number
    }

    func identifier(_ name: String, at node: YAMLNode?) throws -> String {
      let valid = name.first.map { $0.isLetter || $0 == "_" } == true && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
      guard valid, name.allSatisfy(\.isASCII) else {
        throw Diagnostic(cluster: file, line: node?.line ?? 0, "role '\(name)' must be an identifier (letters, digits, _)")
      }
      return name
    }

    /// An interface's `name` as Linux allows it: letters, digits and `.-_@:`, at most 15
    /// characters (commands the script runs get it as `$iface`).
    func interfaceName(_ name: String, at node: YAMLNode?) throws -> String {
      let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_@:".unicodeScalars.contains($0)) }
      guard allowed, (1...15).contains(name.utf8.count) else {
        throw Diagnostic(
          cluster: file, line: node?.line ?? 0,
          "interface name '\(name.escapingControlCharacters)' is not an interface name: write one as 'ip link' shows it (eth0, enp3s0f1, ...): letters, digits and .-_@: only, at most 15 characters")
      }
      return name
    }

    /// An interface's `ip`: an IPv4 or IPv6 address, nothing else (commands get it as `$ip`).
    func address(_ node: YAMLNode?) throws -> String {
      guard let node else { return "" }
      guard case .scalar(let text, _, _) = node, node.string != nil, ThisProcess.isIPAddress(text) else {
        let shown = (node.string ?? "(a list or mapping)").escapingControlCharacters
        throw Diagnostic(
          cluster: file, line: node.line, "interface ip '\(shown)' is not an IP address: write an IPv4 or IPv6 address alone (10.0.0.1, fd00::1), without a prefix length or port")
      }
      return text
    }

    func interfaces(_ node: YAMLNode) throws -> [Interface] {
      guard let list = node["interfaces"] else { return [] }
      guard case .sequence(let items, _, _) = list else {
        throw Diagnostic(cluster: file, line: list.line, "'interfaces' must be a list")
      }
      return try items.map { item in
        try expectKeys(item, allowed: interfaceKeys, what: "an interface")
        guard let name = try string(item, "name") else {
          throw Diagnostic(cluster: file, line: item.line, "an interface needs a 'name' (eth0, ...)")
        }
        return Interface(
          name: try interfaceName(name, at: item["name"]), ip: try address(item["ip"]), link: try string(item, "link"), direction: try string(item, "direction"),
          neighbour: try string(item, "neighbour"))
      }
    }
  }
}
