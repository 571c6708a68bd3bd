import Testing
import MPFCore
import MPFYAML
import MPFCluster
import MPFSystem
import MPFText


@Suite struct ClusterSpecTests {
  @Test func readsMachinesRolesNamespacesAndInterfaces() throws {
    let cluster = try ClusterSpec.parse(
      """
      ssh_config: conf/ssh_config
      connect_timeout: 3
      machines:
        - hostname: server.lab
          user: alice
          port: 2222
          role: server
          interfaces:
            - {name: eth0, ip: 10.0.0.1, link: l1, direction: up, neighbour: client}
        - hostname: router.lab
          namespaces:
            - role: client
              namespace: ns_client
              cpu_id: 3
              interfaces:
                - name: veth0
                  ip: 10.0.0.2
                  link: l1
        - hostname: localhost
          role: local_probe
      """, file: "testbed/cluster.yaml")
    #expect(cluster.assignments.map(\.role) == ["server", "client", "local_probe"])
    let server = cluster.assignments[0]
    #expect(server.machine == Machine(hostname: "server.lab", user: "alice", port: 2222))
    #expect(server.machine.displayName == "alice@server.lab:2222")
    #expect(server.interfaces == [Interface(name: "eth0", ip: "10.0.0.1", link: "l1", direction: "up", neighbour: "client")])
    let client = cluster.assignments[1]
    #expect(client.namespace == "ns_client" && client.cpu == 3)
    #expect(client.interfaces[0].link == "l1")
    #expect(cluster.assignments[2].machine.isLocal)
    #expect(!server.machine.isLocal)
    #expect(cluster.sshConfig == "testbed/conf/ssh_config")
    #expect(cluster.connectTimeout == 3)
    #expect(cluster.machines.count == 3)
  }

  /// A cluster file saved with CR LF line ends (an editor on Windows) reads as the same file.
  @Test func aClusterFileWithCRLFLineEndsReadsTheSame() throws {
    let text = """
      ssh_config: conf/ssh_config
      machines:
        - hostname: server.lab
          role: server
          interfaces:
            - {name: eth0, ip: 10.0.0.1}
        - hostname: "client.lab"
          role: client
          interfaces:
            - name: eth1
              ip: '10.0.0.2'
      """
    let lf = try ClusterSpec.parse(text, file: "c.yaml")
    let crlf = try ClusterSpec.parse(text.replacingAll("\n", with: "\r\n") + "\r\n", file: "c.yaml")
    #expect(crlf.assignments.map(\.role) == lf.assignments.map(\.role))
    #expect(crlf.assignments.map(\.machine) == lf.assignments.map(\.machine))
    #expect(crlf.assignments.map(\.interfaces) == lf.assignments.map(\.interfaces))
    #expect(crlf.sshConfig == lf.sshConfig)
  }

  /// The catalogue of bad cluster files: each is refused at its line with what to change.
  @Test(arguments: [
    ("machines: [a, b\n", 2, "not valid YAML: while parsing a flow sequence: did not find expected ',' or ']'"),
    ("hosts: []\n", 1, "unknown key 'hosts' in the cluster file"),
    ("machines: []\n", 1, "'machines:' must be a non-empty list of machines"),
    ("machines:\n  - role: a\n", 2, "a machine needs a 'hostname'"),
    ("machines:\n  - hostname: h\n", 2, "machine 'h' has neither a 'role' nor 'namespaces'"),
    ("machines:\n  - {hostname: h, role: a, spare: true}\n", 2, "role 'a' has spares but no machine"),
    ("machines:\n  - {hostname: h, role: a}\n  - {hostname: g, role: a}\n  - {hostname: f, role: a2}\n", 0, "machine 2 of role 'a' would be named 'a2', which is also a role"),
    ("machines:\n  - {hostname: h, role: a, spare: yes please}\n", 2, "'spare' must be true or false"),
    ("pool:\n  hosts: [a]\nmachines: []\n", 3, "give 'machines:' or 'pool:', not both"),
    ("pool:\n  roles: {a: 1}\n", 2, "the pool needs its machines: 'slurm: true', 'nodefile: FILE' or 'hosts: [...]'"),
    ("pool:\n  hosts: [a, b]\n  nodefile: n\n  roles: {a: 1}\n", 2, "give one of nodefile, hosts, not several"),
    ("pool:\n  hosts: [a, b]\n", 2, "the pool needs 'roles:', how many machines each role gets"),
    ("pool:\n  hosts: [a, b]\n  roles: {s: 1, c: 2}\n", 3, "the pool has 2 machines (hosts list) but its roles need 3 or more (s: 1, c: 2)"),
    ("pool:\n  hosts: [a, b]\n  roles: {s: 1, c: rest}\n  spares: {c: 1}\n", 3, "the pool has 2 machines (hosts list) but its roles need 3 or more (s: 1, c: rest; spares: 1)"),
    ("pool:\n  hosts: [a, b]\n  roles: {s: rest, c: rest}\n", 3, "only one role can take the 'rest' of the pool"),
    ("pool:\n  hosts: [a, b]\n  roles: {s: 0}\n", 3, "role 's': give a number of machines (1 or more) or 'rest'"),
    ("pool:\n  hosts: [a, b]\n  roles: {s: 1}\n  spares: {c: 1}\n", 4, "spares of role 'c', which 'roles:' does not give"),
    ("pool:\n  slurm: true\n  roles: {s: 1}\n", 2, "this cluster takes its machines from a Slurm allocation, but mpf runs outside one (SLURM_JOB_ID is not set)"),
    ("pool:\n  slurm: true\n  user: me\n  roles: {s: 1}\n", 3, "'user' does not apply to a Slurm pool: its workers start with srun, not ssh"),
    ("pool:\n  nodefile: $NO_SUCH_NODEFILE\n  roles: {s: 1}\n", 2, "'nodefile: $NO_SUCH_NODEFILE': the environment variable NO_SUCH_NODEFILE is not set"),
    ("machines:\n  - hostname: h\n    role: a\n    interfaces:\n      - ip: 10.0.0.1\n", 5, "an interface needs a 'name' (eth0, ...)"),
    ("machines:\n  - {hostname: h, role: a, port: 99999}\n", 2, "port 99999 is not between 1 and 65535"),
    ("machines:\n  - {hostname: h, role: a, port: ssh}\n", 2, "'port' must be a whole number"),
    ("machines:\n  - {hostname: h, role: 'my role'}\n", 2, "role 'my role' must be an identifier (letters, digits, _)"),
    ("machines:\n  - hostname: h\n    namespaces:\n      - {role: a}\n", 4, "a namespace needs a 'role' and a 'namespace' (its name on the machine)"),
    ("machines:\n  - {hostname: h, role: a, cpu: 1}\n", 2, "unknown key 'cpu' in a machine"),
    ("machines:\n  - {hostname: h, role: a, interfaces: eth0}\n", 2, "'interfaces' must be a list"),
    ("machines:\n  - {hostname: h, role: a}\n  - {hostname: h, role: a}\n", 3, "role 'a' is given twice on the same machine"),
    ("", 0, "the cluster file is empty; it needs a 'machines:' list"),
    ("machines:\n  - {hostname: '-oProxyCommand=touch /tmp/x', role: a}\n", 2, "hostname '-oProxyCommand=touch /tmp/x' is not a host name: it is empty, starts with '-' or holds spaces"),
    // An interface's ip and name reach commands as $ip and $iface (docs/security.md).
    ("machines:\n  - hostname: h\n    role: a\n    interfaces:\n      - {name: eth0, ip: '127.0.0.1; touch /tmp/x'}\n", 5,
     "interface ip '127.0.0.1; touch /tmp/x' is not an IP address: write an IPv4 or IPv6 address alone (10.0.0.1, fd00::1), without a prefix length or port"),
    ("machines:\n  - hostname: h\n    role: a\n    interfaces:\n      - name: eth0\n        ip: 10.0.0.1/24\n", 6,
     "interface ip '10.0.0.1/24' is not an IP address: write an IPv4 or IPv6 address alone (10.0.0.1, fd00::1), without a prefix length or port"),
    ("machines:\n  - hostname: h\n    role: a\n    interfaces:\n      - {name: \"eth0\\e[2J\", ip: 10.0.0.1}\n", 5,
     "interface name 'eth0\\e[2J' is not an interface name: write one as 'ip link' shows it (eth0, enp3s0f1, ...): letters, digits and .-_@: only, at most 15 characters"),
    ("machines:\n  - hostname: h\n    role: a\n    interfaces:\n      - {name: 'eth0 up', ip: 10.0.0.1}\n", 5,
     "interface name 'eth0 up' is not an interface name: write one as 'ip link' shows it (eth0, enp3s0f1, ...): letters, digits and .-_@: only, at most 15 characters"),
    ("machines:\n  - hostname: h\n    role: a\n    interfaces:\n      - {name: abcdefghijklmnop, ip: 10.0.0.1}\n", 5,
     "interface name 'abcdefghijklmnop' is not an interface name: write one as 'ip link' shows it (eth0, enp3s0f1, ...): letters, digits and .-_@: only, at most 15 characters"),
    ("machines:\n  - {hostname: h, user: -x, role: a}\n", 2, "user '-x' is not a user name: it is empty, starts with '-' or holds spaces"),
  ])
  func badFilesAreRefusedAtTheirLine(text: String, line: Int, message: String) throws {
    let error = try #require(throws: Diagnostic.self) { try ClusterSpec.parse(text, file: "c.yaml", environment: [:]) }
    #expect(error.location?.file == "c.yaml")
    #expect(error.location?.line == line)
    #expect(error.message == message)
  }

  @Test func aRoleTheScriptUsesMustBeInTheCluster() throws {
    let cluster = try ClusterSpec.parse("machines:\n  - {hostname: h, role: server}\n", file: "c.yaml")
    let experiment = Experiment(
      scriptPath: "e.lua", scriptSource: "", variables: [],
      functions: [
        RoleFunction(index: 1, role: "server", location: SourceLocation(file: "e.lua", line: 2)),
        RoleFunction(index: 2, role: "client", location: SourceLocation(file: "e.lua", line: 5)),
      ], seed: 1)
    let error = try #require(throws: Diagnostic.self) { try ClusterSpec.check(cluster, covers: experiment) }
    #expect(error.description == """
      c.yaml: error: role 'client' (used at e.lua:5) has no machine in the cluster
      note: roles in the cluster: server
      note: add a machine with 'role: client', or a namespace with 'role: client'
      """)
  }

  @Test func linkFunctionsStartTheRolesAtTheEndsOfTheirLinks() throws {
    let cluster = try ClusterSpec.parse(
      """
      machines:
        - {hostname: a, role: left, interfaces: [{name: e0, link: l1}]}
        - {hostname: b, role: right, interfaces: [{name: e0, link: l1}, {name: e1, link: l2}]}
        - {hostname: c, role: other, interfaces: [{name: e0, link: l2}]}
      """, file: "c.yaml")
    let experiment = Experiment(
      scriptPath: "e.lua", scriptSource: "", variables: [Variable(name: "side", values: ["left"])],
      functions: [
        RoleFunction(index: 1, target: .link("l1"), location: SourceLocation(file: "e.lua", line: 1)),
        RoleFunction(index: 2, target: .roleVariable("side"), location: SourceLocation(file: "e.lua", line: 2)),
      ], seed: 1)
    #expect(experiment.roles == ["left"])
    #expect(experiment.roles(in: cluster) == ["left", "right"])
  }

  @Test func aRoleOnSeveralMachinesHasThemAllInFileOrderAndItsSpares() throws {
    let cluster = try ClusterSpec.parse(
      """
      machines:
        - {hostname: s, role: server}
        - {hostname: c1, role: client, interfaces: [{name: e0, ip: 10.0.0.2}]}
        - {hostname: c9, role: client, spare: true}
        - hostname: c2
          role: client
          namespaces:
            - {role: client, namespace: ns1}
      """, file: "c.yaml")
    #expect(cluster.workers.map(\.name) == ["server", "client1", "client2", "client3"])
    #expect(cluster.nodes(of: "client").map(\.machine.hostname) == ["c1", "c2", "c2"])
    #expect(cluster.nodes(of: "client").map(\.index) == [1, 2, 3])
    #expect(cluster.spares(of: "client").map { "\($0.name) \($0.machine.hostname)" } == ["client4 c9"])
    #expect(cluster.roleNames == ["server", "client"])
    // ctx.roles: the role's machines as a list, the first one's interfaces as before.
    let client = cluster.rolesValue["client"]
    #expect(client["count"] == .integer(3))
    #expect(client.tableValue?.array.count == 3)
    #expect(client["interfaces"].tableValue?.array.first?["ip"] == .string("10.0.0.2"))
    #expect(client.tableValue?.array[1]["name"] == .string("client2"))
    #expect(cluster.rolesValue["server"]["count"] == .integer(1))
    // A spare takes a lost machine's name and place.
    var replaced = cluster
    replaced.replace("client2", with: cluster.spares(of: "client")[0])
    #expect(replaced.nodes(of: "client").map(\.machine.hostname) == ["c1", "c9", "c2"])
    #expect(replaced.nodes(of: "client").map(\.name) == ["client1", "client2", "client3"])
    #expect(replaced.spares(of: "client").isEmpty)
  }

  @Test func aPoolHandsItsMachinesToRolesByCount() throws {
    let folder = try TemporaryDirectory.make("mpf-pool")
    defer { FileSystem.removeTree(folder) }
    // OAR lists a host once per core; comments and blank lines are skipped.
    try FileSystem.writeAtomically(FileSystem.join(folder, "nodes"), Array("n1\nn1\n# spare rack\n\nn2\nn3\nn4\nn5\n".utf8))
    let text = "pool:\n  nodefile: $NODES\n  user: me\n  roles: {server: 1, client: rest}\n  spares: {client: 1}\n"
    let cluster = try ClusterSpec.parse(text, file: FileSystem.join(folder, "c.yaml"), environment: ["NODES": FileSystem.join(folder, "nodes")])
    #expect(cluster.workers.map { "\($0.name)=\($0.machine.displayName)" } == ["server=me@n1", "client1=me@n2", "client2=me@n3", "client3=me@n4"])
    #expect(cluster.spares(of: "client").map(\.machine.hostname) == ["n5"])
    #expect(cluster.pool == "node file \(folder)/nodes")
    #expect(cluster.launcher == .ssh)
    // A host that does not resolve keeps its name as the address.
    #expect(cluster.workers[0].interfaces == [Interface(name: "primary", ip: "n1")])
    let relative = try ClusterSpec.parse(
      "pool:\n  nodefile: nodes\n  software_dir: /scratch/{node}\n  roles: {a: 2}\n", file: FileSystem.join(folder, "c.yaml"), environment: [:])
    #expect(relative.workers.map(\.machine.hostname) == ["n1", "n2"])
    #expect(relative.workers.map(\.machine.softwareDirectory) == ["/scratch/{node}", "/scratch/{node}"])
  }

  @Test func aSlurmPoolTakesTheAllocationsNodes() throws {
    let cluster = try ClusterSpec.parse(
      "pool:\n  slurm: true\n  roles: {server: 1, client: rest}\n", file: "c.yaml",
      environment: ["SLURM_JOB_ID": "42", "SLURM_JOB_NODELIST": "node[01-03],gpu7"])
    #expect(cluster.launcher == .srun(job: "42"))
    #expect(cluster.workers.map { "\($0.name)=\($0.machine.hostname)" } == ["server=node01", "client1=node02", "client2=node03", "client3=gpu7"])
    #expect(cluster.pool == "Slurm job 42 (node[01-03],gpu7)")
  }

  @Test(arguments: [
    ("h1", ["h1"]),
    ("h[1-3,5]", ["h1", "h2", "h3", "h5"]),
    ("node[08-11]", ["node08", "node09", "node10", "node11"]),
    ("a[1-2],b,c[3]", ["a1", "a2", "b", "c3"]),
    ("rack[1-2]-n[1-2]", ["rack1-n1", "rack1-n2", "rack2-n1", "rack2-n2"]),
    ("gpu[1-2]-ib", ["gpu1-ib", "gpu2-ib"]),
  ])
  func slurmHostListsExpandAsScontrolDoes(list: String, nodes: [String]) throws {
    let allocation = try SlurmAllocation(environment: ["SLURM_JOB_ID": "1", "SLURM_JOB_NODELIST": list], file: "c.yaml", line: 1)
    #expect(allocation.nodes == nodes)
  }

  @Test(arguments: ["h[1-", "h1]", "h[a-b]", "h[3-1]"])
  func brokenHostListsAreRefused(list: String) throws {
    let error = try #require(throws: Diagnostic.self) {
      try SlurmAllocation(environment: ["SLURM_JOB_ID": "1", "SLURM_JOB_NODELIST": list], file: "c.yaml", line: 2)
    }
    #expect(error.message.hasPrefix("SLURM_JOB_NODELIST '\(list)': "))
    #expect(error.location?.line == 2)
  }
}

@Suite struct InterfaceFieldTests {
  @Test func addressesAndNamesAsLinuxWritesThemAreTaken() throws {
    let cluster = try ClusterSpec.parse(
      "machines:\n  - hostname: h\n    role: a\n    interfaces:\n      - {name: 'eth0.100@br:1', ip: 'fd00::1'}\n      - {name: enp3s0f1, ip: 192.168.1.20}\n",
      file: "c.yaml", environment: [:])
    #expect(cluster.assignments[0].interfaces.map(\.ip) == ["fd00::1", "192.168.1.20"])
  }
}
