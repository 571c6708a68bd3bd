import Testing
import MPFCore
import MPFYAML
import MPFLua
import MPFResults
import MPFScript
import MPFCluster
import MPFWorker
import MPFHost


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

  /// The catalogue of bad cluster files: each is refused at its line with what to change.
  @Test(arguments: [
    ("machines: [a, b\n", 2, "not valid YAML: while parsing a flow sequence: did not find expected ',' or ']'"),
    ("hosts: []\n", 1, "unknown key 'hosts' in the cluster file"),
    ("machines: []\n", 1, "'machines:' must be a non-empty list of machines"),
    ("machines:\n  - role: a\n", 2, "a machine needs a 'hostname'"),
    ("machines:\n  - hostname: h\n", 2, "machine 'h' has neither a 'role' nor 'namespaces'"),
    ("machines:\n  - {hostname: h, role: a}\n  - {hostname: g, role: a}\n", 3, "role 'a' is given twice"),
    ("machines:\n  - hostname: h\n    role: a\n    interfaces:\n      - ip: 10.0.0.1\n", 5, "an interface needs a 'name' (eth0, ...)"),
    ("machines:\n  - {hostname: h, role: a, port: 99999}\n", 2, "port 99999 is not between 1 and 65535"),
    ("machines:\n  - {hostname: h, role: a, port: ssh}\n", 2, "'port' must be a whole number"),
    ("machines:\n  - {hostname: h, role: 'my role'}\n", 2, "role 'my role' must be an identifier (letters, digits, _)"),
    ("machines:\n  - hostname: h\n    namespaces:\n      - {role: a}\n", 4, "a namespace needs a 'role' and a 'namespace' (its name on the machine)"),
    ("machines:\n  - {hostname: h, role: a, cpu: 1}\n", 2, "unknown key 'cpu' in a machine"),
    ("machines:\n  - {hostname: h, role: a, interfaces: eth0}\n", 2, "'interfaces' must be a list"),
    ("machines:\n  - {hostname: h, role: a}\n  - {hostname: h, role: a}\n", 3, "role 'a' is given twice"),
    ("", 0, "the cluster file is empty; it needs a 'machines:' list"),
    ("machines:\n  - {hostname: '-oProxyCommand=touch /tmp/x', role: a}\n", 2, "hostname '-oProxyCommand=touch /tmp/x' is not a host name: it is empty, starts with '-' or holds spaces"),
    ("machines:\n  - {hostname: h, user: -x, role: a}\n", 2, "user '-x' is not a user name: it is empty, starts with '-' or holds spaces"),
  ])
  func badFilesAreRefusedAtTheirLine(text: String, line: Int, message: String) throws {
    let error = try #require(throws: Diagnostic.self) { try ClusterSpec.parse(text, file: "c.yaml") }
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
}
