import Testing
import MPFCore
import MPFYAML
import MPFResults
import MPFCluster
import MPFWorker
import MPFHost
import MPFSystem
import MPFText

#if canImport(Glibc)
  import Glibc
#endif

/// Test hosts made by scripts/testhosts (MPF_TEST_HOSTS names their folder).
struct TestHosts {
  var directory: String
  /// name → (network namespace, address)
  var hosts: [String: (namespace: String, ip: String)]

  static let current: TestHosts? = {
    guard let directory = getenvString("MPF_TEST_HOSTS"), let state = try? FileSystem.readString(directory + "/state") else {
      return nil
    }
    var hosts: [String: (String, String)] = [:]
    for line in state.lines() {
      let fields = line.split(separator: " ").map(String.init)
      if fields.count == 4, fields[0] == "host" { hosts[fields[1]] = (fields[2], fields[3]) }
    }
    return TestHosts(directory: directory, hosts: hosts)
  }()

  func ip(_ host: String) -> String { hosts[host]?.ip ?? "?" }
  func namespace(_ host: String) -> String { hosts[host]?.namespace ?? "?" }

  /// Writes a cluster file into `directory` (with the hosts' ssh configuration) and returns its path.
  func cluster(_ machines: String, in directory: String, name: String = "cluster.yaml") async throws -> String {
    let path = FileSystem.join(directory, name)
    try FileSystem.writeAtomically(path, Array("ssh_config: \(self.directory)/ssh_config\nmachines:\n\(machines)".utf8))
    return path
  }

  /// Runs mpf as the controller, inside the namespace that holds the hosts' bridge.
  func mpf(_ arguments: [String], in directory: String, marker: String = "none") async throws -> CommandResult {
    try await MPFCommand.run(arguments, in: directory, marker: marker, prefix: [MPFCommand.repository + "/scripts/testhosts", "run", self.directory])
  }
}

@Suite(.serialized, .enabled(if: TestHosts.current != nil, "needs MPF_TEST_HOSTS (scripts/with-testhosts)"))
struct SSHTests {
  let hosts = TestHosts.current ?? TestHosts(directory: "", hosts: [:])

  /// mpf.software on two nodes: rsync to one, a tar stream to the other (it has no rsync),
  /// built there, run there; the next experiment copies nothing; git refs built on a third.
  @Test(.timeLimit(.minutes(3))) func softwareIsCopiedAndBuiltOnEachNode() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let source = try DeploySource.make(in: dir)
    let cluster = try await hosts.cluster(
      """
        - {hostname: h1, role: a}
        - {hostname: h2, port: 2223, role: b}
      """, in: dir)
    let script = MPFCommand.fixture("deploy.lua")
    let first = try await hosts.mpf([script, "-c", cluster, "--", source, "a,b"], in: dir)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("mpf: deploy hello [scale=10] on h1: 2 files copied, 1 build step"), "\(first.stderr)")
    #expect(first.stderr.contains("mpf: deploy hello [scale=10] on h2:2223: 2 files copied (tar), 1 build step"), "\(first.stderr)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    let results = (doc["runs"]?.items ?? []).map { run in
      [run["values"]?["scale"]?.intValue ?? 0, run["values"]?["n"]?.intValue ?? 0, run["results"]?["a"]?.intValue ?? -1, run["results"]?["b"]?.intValue ?? -1]
    }
    #expect(results.count == 4 && results.allSatisfy { $0[2] == $0[0] * $0[1] && $0[3] == $0[2] }, "\(results)")
    let machines = (doc["software"]?.items.first?["machines"]?.items ?? []).compactMap { $0["machine"]?.string }
    #expect(machines == ["h1", "h2:2223"])
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    #expect(FileSystem.exists(FileSystem.join(experiment, "logs/deploy-h2:2223.log")))

    FileSystem.removeTree(FileSystem.join(dir, "mpf_experiments"))
    let second = try await hosts.mpf([script, "-c", cluster, "-q", "--", source, "a,b"], in: dir)
    #expect(second.status == 0, "\(second.stderr)")
    let log = try FileSystem.readString(FileSystem.join(try #require(MPFCommand.experimentDirectory(in: dir)), "logs/deploy-h1.log"))
    #expect(log.contains("'hello' is up to date"), "\(log)")

    let repository = try await DeploySource.repository(in: dir)
    let node = try await hosts.cluster("  - {hostname: h3, role: node}\n", in: dir, name: "node.yaml")
    let versions = try await hosts.mpf([MPFCommand.fixture("deploy_git.lua"), "-c", node, "-q", "--", repository], in: dir)
    #expect(versions.status == 0, "\(versions.stderr)")
    #expect(Set(versions.stdout.lines().dropFirst().map { $0.split(separator: " ").joined(separator: " ") }) == ["v1 first", "v2 second"], "\(versions.stdout)")
  }

  /// The hostile source tree of DeployTests over ssh: rsync to one node, a tar stream to the
  /// other (it has no rsync); names stay data, links stay links and a changed one moves again,
  /// and nothing outside the build folders changes.
  @Test(.timeLimit(.minutes(3))) func aHostileSourceTreeStaysInsideItsBuildFolderOnEachNode() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let source = try HostileSource.make(in: dir)
    let roots = ["a": FileSystem.join(dir, "h1"), "b": FileSystem.join(dir, "h2")]
    for root in roots.values { try HostileSource.plantVictims(in: root) }
    let around = roots.mapValues { HostileSource.outside($0) }
    let cluster = try await hosts.cluster(
      """
        - {hostname: h1, role: a, software_dir: \(roots["a"]!)}
        - {hostname: h2, port: 2223, role: b, software_dir: \(roots["b"]!)}
      """, in: dir)
    let arguments = [MPFCommand.fixture("deploy_hostile.lua"), "-c", cluster, "--", source, "a,b"]
    let first = try await hosts.mpf(arguments, in: dir)
    #expect(first.status == 0, "\(first.stderr)")
    for root in roots.values { HostileSource.expectCopied(source, into: root) }
    try HostileSource.changeLink(source)
    let second = try await hosts.mpf(arguments, in: dir)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("deploy tree on h1: 1 file copied, 1 build step"), "\(second.stderr)")
    #expect(second.stderr.contains("deploy tree on h2:2223: 1 file copied (tar), 1 build step"), "\(second.stderr)")
    try HostileSource.changeFiles(source)
    let third = try await hosts.mpf(arguments, in: dir)
    #expect(third.status == 0, "\(third.stderr)")
    for (role, root) in roots {
      HostileSource.expectCopied(source, into: root)
      #expect(HostileSource.target(FileSystem.join(root, "tree/default/link")) == "-rf", "\(role)")
      #expect(!FileSystem.exists(FileSystem.join(root, "tree/default/d\n../victim")), "\(role)")
      #expect(HostileSource.outside(root) == around[role], "\(role)")
    }
  }

  @Test(.timeLimit(.minutes(3))) func iperfBetweenTwoHostsWithANamespaceAndCPUPinning() async throws {
    let dir = MPFCommand.temporaryDirectory()
    // The client role lives in h3's network namespace, reached through h2, pinned to cpu 1.
    let cluster = try await hosts.cluster(
      """
        - hostname: h1
          role: server
          interfaces: [{name: eth0, ip: \(hosts.ip("h1")), link: l1}]
        - hostname: h2
          namespaces:
            - role: client
              namespace: \(hosts.namespace("h3"))
              cpu_id: 1
              interfaces: [{name: eth0, ip: \(hosts.ip("h3")), link: l1}]
      """, in: dir)
    let result = try await hosts.mpf(
      [FileSystem.join(MPFCommand.repository, "examples/iperf.lua"), "-c", cluster, "-n", "1", "-q", "--", "1"], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    let goodputs = (doc["runs"]?.items ?? []).compactMap { $0["results"]?["goodput"]?["value"]?.doubleValue }
    #expect(goodputs.count == 16)
    #expect(goodputs.allSatisfy { $0 > 1e6 })
    let roles = doc["roles"]?.items ?? []
    #expect(roles.map { $0["machine"]?.string } == ["h1", "h2"])
    #expect(roles[1]["namespace"]?.string == hosts.namespace("h3"))
    #expect(roles[1]["cpu_id"]?.intValue == 1)
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    #expect(FileSystem.exists(FileSystem.join(experiment, "cluster.yaml")))
    // The iperf3 client ran from h3's address: the server's log of the first run says so.
    #expect(FileSystem.exists(FileSystem.join(hosts.directory, "h1/cache/mpf")))
  }

  @Test(.timeLimit(.minutes(2))) func linkFunctionsRoleVariablesAndFilesBroughtBack() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let cluster = try await hosts.cluster(
      """
        - hostname: h1
          role: left
          interfaces: [{name: eth0, ip: \(hosts.ip("h1")), link: l1}]
          namespaces:
            - {role: pinned, namespace: \(hosts.namespace("h4")), cpu_id: 0}
        - hostname: h2
          role: right
          interfaces: [{name: eth0, ip: \(hosts.ip("h2")), link: l1}]
      """, in: dir)
    let result = try await hosts.mpf([MPFCommand.fixture("ssh_features.lua"), "-c", cluster, "-q"], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let (h1, h2, h4) = (hosts.ip("h1"), hosts.ip("h2"), hosts.ip("h4"))
    #expect(result.stdout.lines() == [
      "1 left eth0@\(h1) eth0@\(h2) left \(h1) \(h4) 0",
      "1 right eth0@\(h1) eth0@\(h2) right \(h2) \(h4) 0",
      "2 left eth0@\(h1) eth0@\(h2) left \(h1) \(h4) 0",
      "2 right eth0@\(h1) eth0@\(h2) right \(h2) \(h4) 0",
    ])
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    for run in doc["runs"]?.items ?? [] {
      let index = try #require(run["index"]?.intValue)
      let x = try #require(run["values"]?["x"]?.intValue)
      #expect(run["files"]?.items.compactMap(\.string) == ["runs/\(index)/left/fn-2/deep/f.txt", "runs/\(index)/left/out.txt"])
      #expect(try FileSystem.readString(FileSystem.join(experiment, "runs/\(index)/left/out.txt")) == "run \(x)\n")
      #expect(try FileSystem.readString(FileSystem.join(experiment, "runs/\(index)/left/fn-2/deep/f.txt")) == "deep \(x)\n")
    }
    #expect(try FileSystem.readString(FileSystem.join(experiment, "exp/left/init.txt")) == "from init on left")
    #expect(doc["functions"]?.items.compactMap { $0["link"]?.string } == ["l1"])
    #expect(doc["functions"]?.items.compactMap { $0["role_variable"]?.string } == ["where"])
  }

  @Test(.timeLimit(.minutes(2))) func eightHostsAtOnce() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let machines = (1...8).map { "  - {hostname: h\($0), role: n\($0)}" }.joined(separator: "\n")
    let cluster = try await hosts.cluster(machines, in: dir)
    let result = try await hosts.mpf([MPFCommand.fixture("eight_hosts.lua"), "-c", cluster, "-q"], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let expected = (1...8).map { hosts.ip("h\($0)") }.joined(separator: " ")
    #expect(result.stdout.lines() == [expected, expected])
    // experiment.yaml records the address each machine was given (it recorded interfaces: []).
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    let recorded = (doc["roles"]?.items ?? []).map { $0["interfaces"]?.items.first?["ip"]?.string ?? "none" }
    #expect(recorded.joined(separator: " ") == expected, "\(recorded)")
    for i in 1...8 {
      let cache = FileSystem.join(hosts.directory, "h\(i)/cache/mpf")
      #expect(FileSystem.directoryEntries(cache).contains { $0.hasPrefix("mpf-") })
      #expect(!FileSystem.directoryEntries(cache).contains { $0.hasPrefix(".mpf-") })  // no temporary copy left
    }
  }

  /// Unreachable host, unknown host key, refused key: a clear error naming the machine and
  /// what ssh said, within the connect timeout.
  @Test func replReachesRolesOverSSHAndKeepsTheirWorkers() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let cluster = try await hosts.cluster(
      """
        - {hostname: h4, role: server, interfaces: [{name: eth0, ip: \(hosts.ip("h4"))}]}
        - {hostname: h5, role: client, interfaces: [{name: eth0, ip: \(hosts.ip("h5"))}]}
      """, in: dir)
    let input = FileSystem.join(dir, "input.lua")
    try FileSystem.writeAtomically(input, Array("""
      mpf.on('server', 'ip -o -4 addr show eth0 | grep -o 10.199.0.[0-9]*')
      mpf.on('*', function(ctx) return ctx.roles[ctx.role].interfaces[1].ip end)
      a = mpf.on('client', function() return ex('echo $PPID')[1] end)
      b = mpf.on('client', function() return ex('echo $PPID')[1] end)
      a == b
      print(pcall(mpf.on, 'client', 'kill -9 $PPID'))
      mpf.on('client', function() return 'back' end)

      """.utf8))
    let testhosts = MPFCommand.repository + "/scripts/testhosts"
    let command = [testhosts, "run", hosts.directory, MPFCommand.binary, "repl", "-c", cluster].map(ShellQuote.quote).joined(separator: " ")
    let result = try await MPFCommand.runProgram(["sh", "-c", "\(command) < \(ShellQuote.quote(input))"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 5, "\(lines)")
    guard lines.count == 5 else { return }
    #expect(lines[0] == hosts.ip("h4"))
    #expect(lines[1] == "{client = \"\(hosts.ip("h5"))\", server = \"\(hosts.ip("h4"))\"}")
    #expect(lines[2] == "true")
    #expect(lines[3].hasPrefix("false") && lines[3].contains("starts the worker again"))
    #expect(lines[4] == "\"back\"")
  }

  @Test func sshFailuresNameTheMachineAndTheReason() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = FileSystem.join(dir, "s.lua")
    try FileSystem.writeAtomically(script, Array("mpf.run{role = 'server'}(function() return {v = 1} end)\nmpf.run_experiment{n_runs = 1}\n".utf8))
    let config = try FileSystem.readString(FileSystem.join(hosts.directory, "ssh_config"))
    let emptyKnownHosts = FileSystem.join(dir, "known_hosts")
    try FileSystem.writeAtomically(emptyKnownHosts, [])
    try FileSystem.writeAtomically(
      FileSystem.join(dir, "unknown_key_config"),
      Array(config.replacingAll("UserKnownHostsFile \(hosts.directory)/known_hosts", with: "UserKnownHostsFile \(emptyKnownHosts)").utf8))
    let cases: [(String, String)] = [
      ("connect_timeout: 2\nmachines:\n  - {hostname: 10.199.0.250, user: root, role: server}\n",
       "error: root@10.199.0.250: cannot connect with ssh: ssh: connect to host 10.199.0.250 port 22: Connection timed out"),
      ("ssh_config: unknown_key_config\nmachines:\n  - {hostname: h1, role: server}\n",
       "error: h1: cannot connect with ssh: No ED25519 host key is known for \(hosts.ip("h1")) and you have requested strict checking. Host key verification failed."),
      ("ssh_config: \(hosts.directory)/ssh_config\nmachines:\n  - {hostname: h1, user: nobody, role: server}\n",
       "error: nobody@h1: cannot connect with ssh: nobody@\(hosts.ip("h1")): Permission denied (publickey)."),
    ]
    for (index, (text, message)) in cases.enumerated() {
      let cluster = FileSystem.join(dir, "c\(index).yaml")
      try FileSystem.writeAtomically(cluster, Array(text.utf8))
      let start = Clock.monotonic()
      let result = try await hosts.mpf([script, "-c", cluster, "-q"], in: dir)
      #expect(result.status == 1)
      #expect(result.stderr.lines().contains(message), "stderr: \(result.stderr)")
      #expect(Clock.monotonic() - start < 30)
    }
  }

  /// A node of another CPU architecture is refused with a clear error, before any copy. Port
  /// 2222 of the test hosts answers `uname -m` with aarch64 (scripts/testhosts).
  @Test func aNodeOfAnotherArchitectureIsRefused() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let cluster = try await hosts.cluster("  - {hostname: h6, port: 2222, role: server}\n", in: dir, name: "c.yaml")
    let script = FileSystem.join(dir, "s.lua")
    try FileSystem.writeAtomically(script, Array("mpf.run{role = 'server'}(function() end)\nmpf.run_experiment{n_runs = 1}\n".utf8))
    FileSystem.removeTree(FileSystem.join(hosts.directory, "h6/cache/mpf"))
    let result = try await hosts.mpf([script, "-c", cluster, "-q"], in: dir)
    #expect(result.status == 1)
    let arch = BinaryIdentity.localArchitecture()
    #expect(result.stderr.lines().contains(
      "error: h6:2222: the machine is aarch64 but this mpf is built for \(arch): build mpf on (or for) aarch64 and run that one"),
      "stderr: \(result.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(hosts.directory, "h6/cache/mpf")))
  }

  /// A worker whose ssh session dies ends itself and every process it started; mpf reconnects,
  /// redoes the run, and the experiment completes.
  @Test(.timeLimit(.minutes(2))) func aLostSessionLeavesNothingBehindOnTheNode() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let marker = MPFCommand.uniqueMarker()
    let sleepMark = String(900_000 + Int.random(in: 0..<99_999))
    let cluster = try await hosts.cluster("  - {hostname: h5, role: node}\n", in: dir)
    let process = try MPFCommand.start(
      [MPFCommand.fixture("ssh_slow.lua"), "-c", cluster, "-q", "--", sleepMark], in: dir, marker: marker,
      prefix: [MPFCommand.repository + "/scripts/testhosts", "run", hosts.directory])
    // Wait for a few runs, then kill the ssh client that carries the worker's session.
    let deadline = Clock.monotonic() + 60
    var sshClient: pid_t?
    while Clock.monotonic() < deadline, sshClient == nil {
      await MPFCommand.pause(0.1)
      if let dir = MPFCommand.experimentDirectory(in: dir),
        let text = try? FileSystem.readString(FileSystem.join(dir, "experiment.yaml")), text.components("- index:") >= 3
      {
        sshClient = MPFCommand.processes(marked: marker).first { pid in
          let command = (try? FileSystem.readString("/proc/\(pid)/cmdline")) ?? ""
          return command.hasPrefix("ssh\0") && command.hasSuffix("worker\0")
        }
      }
    }
    let client = try #require(sshClient)
    let orphans = sleeps(sleepMark)
    #expect(!orphans.isEmpty)
    kill(client, SIGKILL)
    // The old worker notices its session is gone and ends the run's processes.
    let gone = Clock.monotonic() + 20
    while orphans.contains(where: { !ProcessTree.hasEnded($0) }), Clock.monotonic() < gone { await MPFCommand.pause(0.05) }
    #expect(orphans.allSatisfy { ProcessTree.hasEnded($0) })
    #expect(await MPFCommand.wait(process.pid) == 0)
    let stderr = (try? FileSystem.readString(process.stderrPath)) ?? ""
    #expect(stderr.contains("mpf: node on h5: the worker exited; reconnecting"), "stderr: \(stderr)")
    #expect(stderr.contains("mpf: h5 is back; redoing run "))
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["runs"]?.items.count == 100)
    #expect(doc["status"]?.string == "completed")
    #expect(sleeps(sleepMark).isEmpty)
  }

  /// The machine dies mid-run and stays away: reconnection fails with backoff, the run is
  /// node-lost, the experiment stops cleanly; once the machine is back, resume completes it.
  @Test(.timeLimit(.minutes(2))) func aMachineThatDiesStopsTheExperimentResumably() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let cluster = try await hosts.cluster("  - {hostname: h7, role: node}\n", in: dir)
    let testhosts = MPFCommand.repository + "/scripts/testhosts"
    let process = try MPFCommand.start(
      [MPFCommand.fixture("node_loss.lua"), "-c", cluster, "-q"], in: dir, marker: "loss", prefix: [testhosts, "run", hosts.directory])
    await MPFCommand.waitForRuns(5, in: dir)
    try await runScript([testhosts, "stop", hosts.directory, "h7"])
    #expect(await MPFCommand.wait(process.pid) == 1)
    let stderr = (try? FileSystem.readString(process.stderrPath)) ?? ""
    #expect(stderr.contains("mpf: reconnecting h7, attempt 3 of 3: h7: cannot connect with ssh"), "stderr: \(stderr)")
    #expect(stderr.contains("stayed unreachable"))
    let id = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).first)
    let stopped = try StoredExperiment.load(FileSystem.join(dir, "mpf_experiments/\(id)"))
    #expect(stopped.status == "stopped")
    #expect(stopped.rows.last?.status == .nodeLost)
    try await runScript([testhosts, "start", hosts.directory, "h7"])
    await MPFCommand.pause(0.5)
    let resumed = try await hosts.mpf(["resume", "mpf_experiments/\(id)", "-q"], in: dir)
    #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
    let done = try StoredExperiment.load(FileSystem.join(dir, "mpf_experiments/\(id)"))
    #expect(done.rows.count == 30 && done.rows.allSatisfy { $0.status == .ok })
  }

  /// The machine dies while a build step runs there: the deployment says the node was lost
  /// during that step, not that the build failed.
  @Test(.timeLimit(.minutes(2))) func aNodeLostDuringABuildIsNotABuildFailure() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let source = FileSystem.join(dir, "src")
    try FileSystem.createDirectory(source)
    try FileSystem.writeAtomically(FileSystem.join(source, "README"), Array("a source\n".utf8))
    let cluster = try await hosts.cluster("  - {hostname: h7, role: node, software_dir: \(dir)/h7}\n", in: dir)
    let testhosts = MPFCommand.repository + "/scripts/testhosts"
    let step = "touch started; sleep 303"
    let process = try MPFCommand.start(
      [MPFCommand.fixture("deploy_bounds.lua"), "-c", cluster, "-q", "--", source, step], in: dir, marker: "buildloss",
      prefix: [testhosts, "run", hosts.directory])
    let deadline = Clock.monotonic() + 60
    while !FileSystem.exists(FileSystem.join(dir, "h7/slow/default/started")), Clock.monotonic() < deadline { await MPFCommand.pause(0.05) }
    try await runScript([testhosts, "stop", hosts.directory, "h7"])
    #expect(await MPFCommand.wait(process.pid) == 1)
    try await runScript([testhosts, "start", hosts.directory, "h7"])
    let stderr = (try? FileSystem.readString(process.stderrPath)) ?? ""
    #expect(stderr.contains("deploying on h7: slow: the node was lost during build step 1 `\(step)`"), "\(stderr)")
    #expect(!stderr.contains("failed (exit status"), "\(stderr)")
  }

  /// A node's cached mpf replaced by another program (or cut) is not this build: it is
  /// shipped again, and the experiment runs.
  @Test(.timeLimit(.minutes(2))) func aCorruptedCachedBinaryIsShippedAgain() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let cluster = try await hosts.cluster("  - {hostname: h3, role: node}\n", in: dir)
    let first = try await hosts.mpf([MPFCommand.fixture("all_nodes.lua"), "-c", cluster, "-q"], in: dir)
    #expect(first.status == 0, "\(first.stderr)")
    let cache = FileSystem.join(hosts.directory, "h3/cache/mpf")
    let copies = FileSystem.directoryEntries(cache).filter { $0.hasPrefix("mpf-") }
    #expect(copies.count >= 1)
    let ours = try FileSystem.read(MPFCommand.binary)
    for damage in ["/bin/true", "cut"] {
      for copy in copies {
        let path = FileSystem.join(cache, copy)
        if damage == "cut" { try FileSystem.writeAtomically(path, Array(ours.prefix(100_000)), permissions: 0o755) }
        else { try FileSystem.writeAtomically(path, try FileSystem.read(damage), permissions: 0o755) }
      }
      let again = try await hosts.mpf([MPFCommand.fixture("all_nodes.lua"), "-c", cluster, "-q"], in: dir)
      #expect(again.status == 0, "\(damage): \(again.stderr)")
      #expect(copies.allSatisfy { (try? FileSystem.read(FileSystem.join(cache, $0)))?.count == ours.count }, "\(damage)")
    }
  }

  /// The link is cut mid-run: ssh notices (ServerAlive), mpf reconnects once the link is back,
  /// redoes the run, and the experiment completes as if nothing happened.
  @Test(.timeLimit(.minutes(2))) func aCutLinkIsSurvived() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let cluster = try await hosts.cluster("  - {hostname: h8, role: node}\n", in: dir)
    let testhosts = MPFCommand.repository + "/scripts/testhosts"
    let process = try MPFCommand.start(
      [MPFCommand.fixture("node_loss.lua"), "-c", cluster, "-q"], in: dir, marker: "cut", prefix: [testhosts, "run", hosts.directory])
    await MPFCommand.waitForRuns(5, in: dir)
    try await runScript([testhosts, "cut", hosts.directory, "h8"])
    let deadline = Clock.monotonic() + 60
    while Clock.monotonic() < deadline, !((try? FileSystem.readString(process.stderrPath)) ?? "").contains("reconnecting") {
      await MPFCommand.pause(0.1)
    }
    try await runScript([testhosts, "mend", hosts.directory, "h8"])
    #expect(await MPFCommand.wait(process.pid) == 0)
    let stderr = (try? FileSystem.readString(process.stderrPath)) ?? ""
    #expect(stderr.contains("mpf: h8 is back; redoing run "), "stderr: \(stderr)")
    let stored = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(stored["status"]?.string == "completed")
    #expect(stored["runs"]?.items.count == 30)
  }

  func runScript(_ arguments: [String]) async throws {
    // Its output must not be ours: a daemon it starts would hold swift-test's pipe open.
    let process = try Subprocess.spawn(arguments, stdout: .devNull, stderr: .devNull)
    #expect(await MPFCommand.wait(process.pid) == 0)
  }


  /// The live `sleep MARK` processes on this machine (all test hosts share its kernel).
  private func sleeps(_ mark: String) -> [pid_t] {
    FileSystem.directoryEntries("/proc").compactMap { name in
      guard let pid = pid_t(name), let command = try? FileSystem.readString("/proc/\(name)/cmdline") else { return nil }
      return command == "sleep\0\(mark)\0" && !ProcessTree.hasEnded(pid) ? pid : nil
    }
  }
}
