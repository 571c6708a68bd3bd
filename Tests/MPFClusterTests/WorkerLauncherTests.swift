import Testing
import MPFCore
import MPFCluster
import MPFSystem

/// The launcher is chosen once from the resolved cluster, and answers for its kind.
@Suite struct WorkerLauncherTests {
  static func cluster(_ hostname: String) -> Cluster {
    Cluster(assignments: [RoleAssignment(role: "a", machine: Machine(hostname: hostname), interfaces: [])])
  }

  @Test func theClusterKindChoosesTheLauncherOnceAndLocalMachinesStayLocal() throws {
    let ssh = try WorkerConnector(cluster: Self.cluster("node1"))
    defer { ssh.close() }
    #expect(ssh.launcher(for: Machine(hostname: "node1")) is SSHLauncher)
    #expect(ssh.launcher(for: Machine(hostname: "localhost")) is LocalLauncher)
    var pool = Self.cluster("node1")
    pool.launcher = .srun(job: "42")
    let srun = try WorkerConnector(cluster: pool)
    defer { srun.close() }
    let launcher = srun.launcher(for: Machine(hostname: "node1"))
    #expect(launcher is SrunLauncher && launcher.sharesFiles && launcher.copiesBinary)
    #expect(try launcher.rsyncDestination("/x", on: Machine(hostname: "node1")) == nil)
    let local = try WorkerConnector(cluster: .local(roles: ["a"]))
    #expect(local.launcher(for: Machine(hostname: "localhost")) is LocalLauncher)
  }

  @Test func aLocalCommandRunsWithShAndItsInput() throws {
    let dir = try TemporaryDirectory.make("mpf-launcher-test")
    defer { FileSystem.removeTree(dir) }
    let input = FileSystem.join(dir, "in")
    try FileSystem.writeAtomically(input, Array("from a file\n".utf8))
    let output = try LocalLauncher().run("cat; echo oops >&2; exit 3", on: Machine(hostname: "localhost"), input: input, opening: true)
    #expect(output.status == 3 && output.stdout == "from a file\n" && output.stderr == "oops\n")
    #expect(LocalLauncher().transportFailure(output, opening: true) == nil)
  }

  @Test func sshFailuresAreToldFromTheCommandsOwnExitStatus() throws {
    let ssh = try SSHLauncher(configFile: nil, connectTimeout: 1)
    defer { ssh.close() }
    let refused = CommandOutput(status: 255, stdout: "", stderr: "ssh: connect to host h port 22: Connection refused\n")
    #expect(ssh.transportFailure(refused, opening: true) == "cannot connect with ssh: ssh: connect to host h port 22: Connection refused")
    #expect(ssh.transportFailure(refused, opening: false) == "ssh failed: ssh: connect to host h port 22: Connection refused")
    #expect(ssh.transportFailure(CommandOutput(status: 255, stdout: "", stderr: "my own 255\n"), opening: false) == nil)
    #expect(ssh.transportFailure(CommandOutput(status: 1, stdout: "", stderr: "ssh: nope"), opening: true) == nil)
    let rsync = try #require(try ssh.rsyncDestination("/srv/a b", on: Machine(hostname: "h", user: "me", port: 2222)))
    #expect(rsync.target == "h:/srv/a b/")
    #expect(rsync.options.last == "mkdir -p '/srv/a b' && rsync")
    #expect(rsync.options[1].contains("'-l' 'me' '-p' '2222'"))
  }
}
