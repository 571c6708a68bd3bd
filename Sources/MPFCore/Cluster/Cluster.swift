/// A network interface of a role, as `ctx.roles[name].interfaces[i]` shows it.
package struct Interface: Sendable, Hashable {
  package var name: String
  package var ip: String
  package var link: String?
  package var direction: String?
  package var neighbour: String?

  package init(name: String, ip: String, link: String? = nil, direction: String? = nil, neighbour: String? = nil) {
    self.name = name
    self.ip = ip
    self.link = link
    self.direction = direction
    self.neighbour = neighbour
  }

  package var luaValue: LuaValue {
    var fields: [String: LuaValue] = ["name": .string(name), "ip": .string(ip)]
    if let link { fields["link"] = .string(link) }
    if let direction { fields["direction"] = .string(direction) }
    if let neighbour { fields["neighbour"] = .string(neighbour) }
    return .record(fields)
  }
}

/// A machine of the cluster, as ssh reaches it.
package struct Machine: Sendable, Hashable {
  package var hostname: String
  package var user: String?
  package var port: Int?
  /// Where mpf keeps the software it deploys there (`software_dir:`); nil:
  /// `~/.cache/mpf/software`.
  package var softwareDirectory: String?

  package init(hostname: String, user: String? = nil, port: Int? = nil) {
    self.hostname = hostname
    self.user = user
    self.port = port
  }

  /// `localhost` without a user runs its workers as local processes, without ssh.
  package var isLocal: Bool { hostname == "localhost" && user == nil && port == nil }

  /// `user@hostname:port`, as messages name the machine.
  package var displayName: String {
    (user.map { "\($0)@" } ?? "") + hostname + (port.map { ":\($0)" } ?? "")
  }
}

/// Where a role runs: its machine, its network namespace and cpu there, and its interfaces.
package struct RoleAssignment: Sendable, Hashable {
  package var role: String
  package var machine: Machine
  package var namespace: String?
  package var cpu: Int?
  package var interfaces: [Interface]

  package init(role: String, machine: Machine, namespace: String? = nil, cpu: Int? = nil, interfaces: [Interface]) {
    self.role = role
    self.machine = machine
    self.namespace = namespace
    self.cpu = cpu
    self.interfaces = interfaces
  }
}

/// The machines an experiment runs on, role by role.
package struct Cluster: Sendable {
  package var assignments: [RoleAssignment]
  /// The cluster file it was read from (nil: no `-c`, every role local).
  package var file: String?
  /// An ssh configuration file to use instead of the user's (`ssh_config:` in the cluster file).
  package var sshConfig: String?
  /// Seconds ssh may take to connect to a machine.
  package var connectTimeout: Int = 10

  package init(assignments: [RoleAssignment], file: String? = nil, sshConfig: String? = nil) {
    self.assignments = assignments
    self.file = file
    self.sshConfig = sshConfig
  }

  /// Every role as a local worker with one interface `lo` at 127.0.0.1 (no `-c`).
  package static func local(roles: [String]) -> Cluster {
    Cluster(
      assignments: roles.map {
        RoleAssignment(role: $0, machine: Machine(hostname: "localhost"), interfaces: [Interface(name: "lo", ip: "127.0.0.1")])
      })
  }

  /// The distinct machines, in the order roles name them.
  package var machines: [Machine] {
    var seen: Set<Machine> = []
    return assignments.map(\.machine).filter { seen.insert($0).inserted }
  }

  package func assignment(of role: String) -> RoleAssignment? { assignments.first { $0.role == role } }

  /// `ctx.roles`: every role's machine and interfaces.
  package var rolesValue: LuaValue {
    var table = LuaTable()
    for assignment in assignments {
      table.fields[.string(assignment.role)] = .record([
        "machine": .string(assignment.machine.hostname),
        "interfaces": .list(assignment.interfaces.map(\.luaValue)),
      ])
    }
    return .table(table)
  }
}
