import Testing
import MPFCore
import MPFYAML
import MPFResults
import MPFSystem
import MPFText

/// Several machines per role, spares, pools, and Slurm, on the test hosts. They belong to the
/// serialized SSH suite: a test there stops h7 and cuts h8, which would break these.
extension SSHTests {
  /// Four iperf3 clients on four machines against one server: each machine's goodput, and
  /// their sum, which the graph and `mpf show` use. The server has no interface in the
  /// cluster file: it gets one at the address ssh reached it at.
  @Test(.timeLimit(.minutes(2))) func severalClientsPerRoleKeepEachMachinesResultAndTheirSum() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let cluster = try await hosts.cluster(
      """
        - {hostname: h9, role: server}
        - {hostname: h10, role: client}
        - {hostname: h11, role: client}
        - {hostname: h12, role: client}
        - {hostname: h13, role: client}
      """, in: dir)
    let result = try await hosts.mpf([MPFCommand.fixture("many_clients.lua"), "-c", cluster, "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let totals = result.stdout.lines().filter { $0.hasPrefix("total ") }
    #expect(totals.count == 2)
    for line in totals {
      let words = line.split(separator: " ")
      #expect(words.count == 4 && words[1] == words[3] && (Double(words[1]) ?? 0) > 0, "\(line)")
    }
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    for run in doc["runs"]?.items ?? [] {
      let results = run["results"]
      let each = (1...4).compactMap { results?["goodput@client\($0)"]?["value"]?.doubleValue }
      #expect(each.count == 4 && each.allSatisfy { $0 > 0 })
      #expect(results?["goodput"]?["unit"]?.string == "bits/s")
      #expect(abs((results?["goodput"]?["value"]?.doubleValue ?? 0) - each.reduce(0, +)) < 1)
      #expect(results?["node@client3"]?.string == "client3/4")
    }
    let roles = (doc["roles"]?.items ?? []).map { "\($0["worker"]?.string ?? $0["name"]?.string ?? "")=\($0["machine"]?.string ?? "")" }
    #expect(roles == ["server=h9", "client1=h10", "client2=h11", "client3=h12", "client4=h13"])
    // One graph of the sum, none per machine.
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let graphs = FileSystem.directoryEntries(FileSystem.join(experiment, "graphs")).filter { $0.hasSuffix(".svg") }.sorted()
    #expect(graphs == ["goodput.svg", "retransmits.svg"], "\(graphs)")
    let show = try await MPFCommand.run(["show", experiment], in: dir)
    #expect(show.stdout.contains("goodput@client1") && show.stdout.contains("retransmits@client4"), "\(show.stdout)")
    // The report has them in long form too: a row per point and machine, one goodput column.
    #expect(try await MPFCommand.run(["report", experiment], in: dir).status == 0)
    let report = try FileSystem.readString(FileSystem.join(experiment, "report.html"))
    let long = try #require(report.split(separator: "id=\"machines-table\"").last?.split(separator: "</table>").first)
    #expect(long.contains("<th>machine</th>") && long.contains("<th>goodput</th>") && !long.contains("goodput@"), "\(long)")
    #expect(long.split(separator: "<tr>").count - 2 == 8, "a header and 2 points × 4 machines: \(long)")
    #expect((1...4).allSatisfy { long.contains("<td>client\($0)</td>") })
  }

  /// A client machine dies mid-experiment: reconnection fails, the role's spare takes its place,
  /// the run is redone there, and experiment.yaml says which machine did which run.
  @Test(.timeLimit(.minutes(2))) func aLostClientIsReplacedByASpare() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let cluster = try await hosts.cluster(
      """
        - {hostname: h14, role: client}
        - {hostname: h15, role: client}
        - {hostname: h16, role: client, spare: true}
      """, in: dir)
    let testhosts = MPFCommand.repository + "/scripts/testhosts"
    let process = try MPFCommand.start(
      [MPFCommand.fixture("spare.lua"), "-c", cluster, "-q"], in: dir, marker: "spare", prefix: [testhosts, "run", hosts.directory])
    await MPFCommand.waitForRuns(5, in: dir)
    try await runScript([testhosts, "stop", hosts.directory, "h15"])
    let status = await MPFCommand.wait(process.pid)
    try await runScript([testhosts, "start", hosts.directory, "h15"])
    let stderr = (try? FileSystem.readString(process.stderrPath)) ?? ""
    #expect(status == 0, "\(stderr)")
    #expect(stderr.contains("mpf: h15 is lost: spare h16 takes the place of client2"), "\(stderr)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["status"]?.string == "completed")
    let runs = doc["runs"]?.items ?? []
    #expect(runs.count == 30 && runs.allSatisfy { $0["status"]?.string == "ok" && $0["results"]?["one"]?.intValue == 2 })
    let moved = runs.filter { $0["machines"]?["client2"]?.string == "h16" }
    // At least 5 runs were done on h15 before it was stopped; the rest may have moved.
    #expect(moved.count >= 1 && moved.count <= 25, "\(moved.count)")
    for run in moved { #expect(run["results"]?["ip@client2"]?.string == hosts.ip("h16")) }
    for run in runs where run["machines"] == nil { #expect(run["results"]?["ip@client2"]?.string == hosts.ip("h15")) }
  }

  /// All 32 test hosts in one experiment, from a pool of host names.
  @Test(.timeLimit(.minutes(3))) func thirtyTwoHostsInOneExperiment() async throws {
    guard hosts.hosts.count >= 32 else { return }
    let dir = MPFCommand.temporaryDirectory()
    let path = FileSystem.join(dir, "pool.yaml")
    let names = (1...32).map { "h\($0)" }.joined(separator: ", ")
    try FileSystem.writeAtomically(
      path, Array("ssh_config: \(hosts.directory)/ssh_config\npool:\n  hosts: [\(names)]\n  roles: {node: 32}\n".utf8))
    let result = try await hosts.mpf([MPFCommand.fixture("all_nodes.lua"), "-c", path, "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.lines().filter { $0.hasPrefix("machines") } == ["machines 32", "machines 32"])
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    for run in doc["runs"]?.items ?? [] {
      for i in 1...32 { #expect(run["results"]?["ip@node\(i)"]?.string == hosts.ip("h\(i)")) }
    }
  }

  /// At the prompt, a role of several machines answers from each, by worker name; a worker's
  /// name reaches that machine alone.
  @Test(.timeLimit(.minutes(2))) func replReachesEachMachineOfARole() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let cluster = try await hosts.cluster(
      """
        - {hostname: h20, role: server}
        - {hostname: h21, role: client}
        - {hostname: h22, role: client}
      """, in: dir)
    let input = FileSystem.join(dir, "input.lua")
    try FileSystem.writeAtomically(input, Array("""
      mpf.on('client', function(ctx) return ctx.node.name .. ' ' .. ctx.node.machine .. ' ' .. ex('hostname -I')[1] end)
      mpf.on('client2', function(ctx) return ctx.node.index end)
      mpf.on('server', function(ctx) return ctx.roles.client[2].interfaces[1].ip end)

      """.utf8))
    let testhosts = MPFCommand.repository + "/scripts/testhosts"
    let command = [testhosts, "run", hosts.directory, MPFCommand.binary, "repl", "-c", cluster].map(ShellQuote.quote).joined(separator: " ")
    let result = try await MPFCommand.runProgram(["sh", "-c", "\(command) < \(ShellQuote.quote(input))"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 3, "\(lines)")
    guard lines.count == 3 else { return }
    #expect(lines[0].hasPrefix("{client1 = \"client1 h21 \(hosts.ip("h21"))"), "\(lines[0])")
    #expect(lines[0].contains("client2 = \"client2 h22 \(hosts.ip("h22"))"), "\(lines[0])")
    #expect(lines[1] == "2")
    // Not given in the cluster file: the address ssh reached h22 at.
    #expect(lines[2] == "\"\(hosts.ip("h22"))\"", "\(lines[2])")
  }

  /// A node file (as OAR hands out) is a pool reached with ssh.
  @Test(.timeLimit(.minutes(2))) func aNodeFileIsAPoolOfMachines() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(FileSystem.join(dir, "nodes"), Array("h17\nh17\nh18\nh19\n".utf8))
    let path = FileSystem.join(dir, "pool.yaml")
    try FileSystem.writeAtomically(
      path, Array("ssh_config: \(hosts.directory)/ssh_config\npool:\n  nodefile: $NODES\n  roles: {node: rest}\n".utf8))
    let result = try await MPFCommand.run(
      [MPFCommand.fixture("all_nodes.lua"), "-c", path, "-q"], in: dir,
      prefix: [MPFCommand.repository + "/scripts/testhosts", "run", hosts.directory, "env", "NODES=\(dir)/nodes"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.lines().filter { $0.hasPrefix("machines") } == ["machines 3", "machines 3"])
  }

  /// Inside a Slurm allocation (salloc -N 5), `pool: {slurm: true}` takes the job's nodes, one
  /// server and the rest clients, and starts the workers with srun: no ssh at all. Run from a
  /// folder the nodes cannot see, mpf copies itself through srun; outside an allocation, the
  /// cluster file is refused.
  @Test(.timeLimit(.minutes(3)), .enabled(if: getenvString("MPF_TEST_SLURM_CONF") != nil, "needs a test Slurm (with-testhosts --slurm)"))
  func aSlurmAllocationRunsTheExperimentThroughSrun() async throws {
    let conf = getenvString("MPF_TEST_SLURM_CONF") ?? ""
    let dir = MPFCommand.temporaryDirectory()
    let path = FileSystem.join(dir, "slurm.yaml")
    try FileSystem.writeAtomically(path, Array("pool:\n  slurm: true\n  roles: {server: 1, client: rest}\n".utf8))
    let testhosts = MPFCommand.repository + "/scripts/testhosts"
    // mpf from a tmpfs of its own mount namespace: the nodes do not see that file.
    let hidden = ["unshare", "-m", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs mpf \"$d\" && cp \"$0\" \"$d/mpf\" && exec \"$d/mpf\" \"$@\""]
    // XDG_CACHE_HOME (srun passes the environment to the nodes) moves the nodes' cache.
    let allocation = [testhosts, "run", hosts.directory, "env", "SLURM_CONF=\(conf)", "HOME=\(dir)/home", "XDG_CACHE_HOME=\(dir)/xdg", "salloc", "-N", "5", "--quiet"]
    let result = try await MPFCommand.run([MPFCommand.fixture("slurm_roles.lua"), "-c", path], in: dir, prefix: allocation + hidden)
    #expect(result.status == 0, "\(result.stderr)")
    let copies = FileSystem.directoryEntries(FileSystem.join(dir, "xdg/mpf")).filter { $0.hasPrefix("mpf-") }
    #expect(copies.count == 1, "\(copies)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "home/.cache/mpf")))
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["pool"]?.string?.hasPrefix("Slurm job ") == true)
    let machines = (doc["roles"]?.items ?? []).compactMap { $0["machine"]?.string }
    #expect(machines == ["h28", "h29", "h30", "h31", "h32"])
    for run in doc["runs"]?.items ?? [] {
      let results = run["results"]
      #expect(results?["reached"]?.intValue == 4, "\(String(describing: results))")
      #expect(results?["server_ip"]?.string == hosts.ip("h28"))
      for (i, host) in ["h29", "h30", "h31", "h32"].enumerated() { #expect(results?["ip@client\(i + 1)"]?.string == hosts.ip(host)) }
    }
    // The nodes see this binary where it is (a shared filesystem): nothing is copied.
    let shared = try await MPFCommand.run(
      [MPFCommand.fixture("slurm_roles.lua"), "-c", path, "-q"], in: dir,
      prefix: [testhosts, "run", hosts.directory, "env", "SLURM_CONF=\(conf)", "HOME=\(dir)/home2", "salloc", "-N", "5", "--quiet"])
    #expect(shared.status == 0, "\(shared.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "home2/.cache/mpf")))
    // mpf.software through srun: a tar stream to each node (rsync needs ssh), built there, in a
    // folder of its own per node (these nodes share every filesystem, as a cluster's home does).
    let deployDir = MPFCommand.temporaryDirectory()
    let source = try DeploySource.make(in: deployDir)
    let deployed = try await MPFCommand.run(
      [MPFCommand.fixture("deploy.lua"), "-c", path, "--", source, "server,client"], in: deployDir,
      prefix: [testhosts, "run", hosts.directory, "env", "SLURM_CONF=\(conf)", "HOME=\(deployDir)/home", "salloc", "-N", "5", "--quiet"])
    #expect(deployed.status == 0, "\(deployed.stderr)")
    #expect(deployed.stderr.contains("mpf: deploy hello [scale=10] on h30: 2 files copied (tar), 1 build step"), "\(deployed.stderr)")
    for node in ["h28", "h29", "h32"] {
      #expect(FileSystem.exists(FileSystem.join(deployDir, "home/.cache/mpf/software/\(node)/hello/scale=10/hello")), "\(node)")
    }
    let built = try #require(try MPFCommand.experimentYAML(in: deployDir))
    for run in built["runs"]?.items ?? [] {
      let product = (run["values"]?["scale"]?.intValue ?? 0) * (run["values"]?["n"]?.intValue ?? 0)
      #expect(run["results"]?["server"]?.intValue == product)
      #expect(run["results"]?["client@client4"]?.intValue == product)
    }
    // Outside an allocation: a clear error at the pool's line.
    let outside = try await MPFCommand.run(
      [MPFCommand.fixture("slurm_roles.lua"), "-c", path], in: dir, prefix: ["env", "-u", "SLURM_JOB_ID", "-u", "SLURM_JOBID"])
    #expect(outside.status != 0)
    #expect(outside.stderr.contains("slurm.yaml:2: error: this cluster takes its machines from a Slurm allocation, but mpf runs outside one"), "\(outside.stderr)")
  }
}
