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

/// Where one worker of a role runs: its machine, its network namespace and cpu there, and its
/// interfaces. A role may have several (`ctx.node` tells them apart), and spares.
package struct RoleAssignment: Sendable, Hashable {
  package var role: String
  package var machine: Machine
  package var namespace: String?
  package var cpu: Int?
  package var interfaces: [Interface]
  /// 1-based among the role's machines (spares numbered after them); set by `Cluster`.
  package var index = 1
  /// The worker's name: the role when it has one machine, else the role and its index
  /// (`client2`); per-node results are `result@name`. Set by `Cluster`.
  package var name: String
  /// Held back to replace a machine of the role that is lost.
  package var spare = false

  package init(role: String, machine: Machine, namespace: String? = nil, cpu: Int? = nil, interfaces: [Interface], spare: Bool = false) {
    self.role = role
    self.machine = machine
    self.namespace = namespace
    self.cpu = cpu
    self.interfaces = interfaces
    self.name = role
    self.spare = spare
  }

  /// `ctx.node`, and each item of `ctx.roles[role]`.
  package func nodeValue(count: Int) -> LuaValue {
    .record([
      "index": .integer(Int64(index)), "name": .string(name), "role": .string(role), "count": .integer(Int64(count)),
      "machine": .string(machine.hostname), "interfaces": .list(interfaces.map(\.luaValue)),
    ])
  }
}

/// The machines an experiment runs on, role by role.
package struct Cluster: Sendable {
  /// Every worker, spares included, in file order; `index` and `name` numbered per role.
  package private(set) var assignments: [RoleAssignment]
  /// The cluster file it was read from (nil: no `-c`, every role local).
  package var file: String?
  /// An ssh configuration file to use instead of the user's (`ssh_config:` in the cluster file).
  package var sshConfig: String?
  /// Seconds ssh may take to connect to a machine.
  package var connectTimeout: Int = 10
  /// How workers start: ssh (or a local process), or srun steps inside a Slurm allocation.
  package var launcher: Launcher = .ssh
  /// Where a `pool:` took its machines (`Slurm job 42 (h[1-5])`, `node file F`); nil: `machines:`.
  package var pool: String?

  package var isPool: Bool { pool != nil }

  package enum Launcher: Sendable, Hashable {
    case ssh
    /// `srun --overlap` steps of this job.
    case srun(job: String)
  }

  package init(assignments: [RoleAssignment], file: String? = nil, sshConfig: String? = nil) {
    self.assignments = Self.numbered(assignments)
    self.file = file
    self.sshConfig = sshConfig
  }

  /// Numbers each role's machines in order (spares last) and names them.
  private static func numbered(_ assignments: [RoleAssignment]) -> [RoleAssignment] {
    var counts: [String: Int] = [:]
    for assignment in assignments where !assignment.spare { counts[assignment.role, default: 0] += 1 }
    var seen: [String: Int] = [:]
    var result = assignments
    for pass in [false, true] {
      for i in result.indices where result[i].spare == pass {
        let role = result[i].role
        seen[role, default: 0] += 1
        result[i].index = seen[role]!
        result[i].name = (counts[role] ?? 0) <= 1 && !pass ? role : "\(role)\(seen[role]!)"
      }
    }
    return result
  }

  /// Every role as a local worker with one interface `lo` at 127.0.0.1 (no `-c`).
  package static func local(roles: [String]) -> Cluster {
    Cluster(
      assignments: roles.map {
        RoleAssignment(role: $0, machine: Machine(hostname: "localhost"), interfaces: [Interface(name: "lo", ip: "127.0.0.1")])
      })
  }

  /// The distinct machines, in the order roles name them (spares included).
  package var machines: [Machine] {
    var seen: Set<Machine> = []
    return assignments.map(\.machine).filter { seen.insert($0).inserted }
  }

  /// The workers that run (not the spares), in order.
  package var workers: [RoleAssignment] { assignments.filter { !$0.spare } }

  /// The role names, in the order the file first gives them.
  package var roleNames: [String] {
    var seen: Set<String> = []
    return assignments.map(\.role).filter { seen.insert($0).inserted }
  }

  /// The first machine of `role`.
  package func assignment(of role: String) -> RoleAssignment? { assignments.first { $0.role == role && !$0.spare } }

  /// Every machine of `role` that runs its functions, in order.
  package func nodes(of role: String) -> [RoleAssignment] { assignments.filter { $0.role == role && !$0.spare } }

  /// The spares of `role`, in order.
  package func spares(of role: String) -> [RoleAssignment] { assignments.filter { $0.role == role && $0.spare } }

  /// The worker named `name` (`client2`).
  package func assignment(named name: String) -> RoleAssignment? { assignments.first { $0.name == name } }

  /// Puts `spare` in the place of the worker `name` (which it now is, under that name and index).
  package mutating func replace(_ name: String, with spare: RoleAssignment) {
    guard let place = assignments.firstIndex(where: { $0.name == name }),
      let from = assignments.firstIndex(where: { $0.name == spare.name })
    else { return }
    var taking = assignments[from]
    taking.spare = false
    taking.index = assignments[place].index
    taking.name = assignments[place].name
    assignments[place] = taking
    assignments.remove(at: from)
  }

  /// Gives the worker `name`, when the cluster file gave it no interface (and no namespace),
  /// one: `primary`, at the address its machine was reached at.
  /// The cluster with each machine given no interface given one, `primary`: at the address its
  /// worker reported (`facts`, by the machine's display name), or 127.0.0.1 for this machine.
  package func givingAddresses(from facts: [String: LuaValue]) -> Cluster {
    var cluster = self
    for assignment in assignments {
      if let address = facts[assignment.machine.displayName]?["address"].stringValue {
        cluster.giveAddress(address, to: assignment.name)
      } else if assignment.machine.isLocal {
        cluster.giveAddress("127.0.0.1", to: assignment.name)
      }
    }
    return cluster
  }

  package mutating func giveAddress(_ address: String, to name: String) {
    guard let place = assignments.firstIndex(where: { $0.name == name }), assignments[place].interfaces.isEmpty,
      assignments[place].namespace == nil
    else { return }
    assignments[place].interfaces = [Interface(name: "primary", ip: address)]
  }

  /// `ctx.node` of the worker `name`: its place among its role's machines.
  package func nodeValue(named name: String) -> LuaValue? {
    guard let node = assignment(named: name) else { return nil }
    return node.nodeValue(count: nodes(of: node.role).count)
  }

  /// Takes the worker `name` (a spare that would not start) out of the cluster.
  package mutating func remove(_ name: String) { assignments.removeAll { $0.name == name } }

  /// `ctx.roles`: per role, its machines as a list (`ctx.roles.client[2].interfaces[1].ip`),
  /// plus the first machine's `machine` and `interfaces` (`ctx.roles.server.interfaces[1].ip`)
  /// and `count`.
  package var rolesValue: LuaValue {
    var table = LuaTable()
    for role in roleNames {
      let nodes = self.nodes(of: role)
      guard let first = nodes.first else { continue }
      var entry = LuaTable(array: nodes.map { $0.nodeValue(count: nodes.count) })
      entry.fields[.string("machine")] = .string(first.machine.hostname)
      entry.fields[.string("interfaces")] = .list(first.interfaces.map(\.luaValue))
      entry.fields[.string("count")] = .integer(Int64(nodes.count))
      table.fields[.string(role)] = .table(entry)
    }
    return .table(table)
  }
}
