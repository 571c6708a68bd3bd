/// A network interface of a role, as `ctx.roles[name].interfaces[i]` shows it.
public struct Interface: Sendable, Hashable {
  public var name: String
  public var ip: String
  public var link: String?
  public var direction: String?
  public var neighbour: String?

  public init(name: String, ip: String, link: String? = nil, direction: String? = nil, neighbour: String? = nil) {
    self.name = name
    self.ip = ip
    self.link = link
    self.direction = direction
    self.neighbour = neighbour
  }

  var luaValue: LuaValue {
    var fields: [String: LuaValue] = ["name": .string(name), "ip": .string(ip)]
    if let link { fields["link"] = .string(link) }
    if let direction { fields["direction"] = .string(direction) }
    if let neighbour { fields["neighbour"] = .string(neighbour) }
    return .record(fields)
  }
}

/// Where a role runs: its machine and interfaces.
public struct RoleAssignment: Sendable, Hashable {
  public var role: String
  public var machine: String
  public var interfaces: [Interface]

  public init(role: String, machine: String, interfaces: [Interface]) {
    self.role = role
    self.machine = machine
    self.interfaces = interfaces
  }
}

/// The machines an experiment runs on, role by role.
public struct Cluster: Sendable {
  public var assignments: [RoleAssignment]

  public init(assignments: [RoleAssignment]) { self.assignments = assignments }

  /// Every role as a local worker with one interface `lo` at 127.0.0.1 (no `-c`).
  public static func local(roles: [String]) -> Cluster {
    Cluster(assignments: roles.map { RoleAssignment(role: $0, machine: "localhost", interfaces: [Interface(name: "lo", ip: "127.0.0.1")]) })
  }

  public func assignment(of role: String) -> RoleAssignment? { assignments.first { $0.role == role } }

  /// `ctx.roles`: every role's machine and interfaces.
  var rolesValue: LuaValue {
    var table = LuaTable()
    for assignment in assignments {
      table.fields[.string(assignment.role)] = .record([
        "machine": .string(assignment.machine),
        "interfaces": .list(assignment.interfaces.map(\.luaValue)),
      ])
    }
    return .table(table)
  }
}
