package import MPFCore
package import MPFSystem
package import MPFText

/// Deploys and builds every `mpf.software` on the machines of its roles, once per experiment
/// before the `init` functions: all machines at once, the steps of one machine in order.
///
/// On each machine, for each build (each combination of the software's build variables):
/// the packages it lacks are installed (apt or dnf, from /etc/os-release; `sudo -n` when not
/// root), the source folder is copied into `SOFTWARE_DIR/NAME/BUILD` (rsync when both ends
/// have it, else a tar stream of the files that changed, through the same ssh connection), and
/// the build steps run there. The folders are kept between experiments, so an unchanged source
/// copies nothing and the build tool decides what to redo.
package struct Deployer: Sendable {
  package var experiment: Experiment
  package var cluster: Cluster
  package var connector: WorkerConnector
  /// A line of progress (one per machine and step).
  package var progress: @Sendable (String) -> Void
  /// Writes the deployment log of a machine into the results (returns its path there).
  package var writeLog: @Sendable (_ machine: String, _ text: String) throws -> String

  package init(
    experiment: Experiment, cluster: Cluster, connector: WorkerConnector, progress: @escaping @Sendable (String) -> Void,
    writeLog: @escaping @Sendable (String, String) throws -> String
  ) {
    self.experiment = experiment
    self.cluster = cluster
    self.connector = connector
    self.progress = progress
    self.writeLog = writeLog
  }

  /// `SYNC=tar` in mpf's environment (`MPF_SYNC`) copies with tar even where rsync exists.
  private var forceTar: Bool { ThisProcess.environment("MPF_SYNC") == "tar" }

  /// Deploys on every machine of the software's roles in `cluster` (spares wait until they
  /// replace a machine), or only on `machines`.
  ///
  /// - Throws: `Diagnostic` naming the machine, the step and the end of its output.
  package func deploy(on cluster: Cluster? = nil, only machines: [Machine]? = nil) async throws -> Deployment {
    var copy = self
    if let cluster { copy.cluster = cluster }
    return try await copy.deployAll(only: machines)
  }

  private func deployAll(only chosen: [Machine]?) async throws -> Deployment {
    var deployment = Deployment()
    guard !experiment.software.isEmpty else { return deployment }
    let controllerHasRsync = try await connector.executeHere(["sh", "-c", "command -v rsync"]).status == 0
    // The controller's side first: folders to copy from, commits.
    var sources: [String: SoftwareSource] = [:]
    for software in experiment.software {
      let builds = Deployment.builds(of: software, variables: experiment.variables)
      let connector = connector
      sources[software.name] = try await SoftwareSource.prepare(software, builds: builds) { try await connector.executeHere($0) }
      deployment.sources[software.name] = sources[software.name]?.record ?? [:]
    }
    // Then every machine at once.
    let machines = Array(Set(experiment.software.flatMap { software in software.roles.flatMap { cluster.nodes(of: $0).map(\.machine) } }))
      .filter { chosen?.contains($0) ?? true }
      .sorted { $0.displayName < $1.displayName }
    let sourcesCopy = sources
    let results = try await withThrowingTaskGroup(of: (String, [String: [String: String]], String).self) { group in
      for machine in machines {
        group.addTask { try await self.deploy(to: machine, sources: sourcesCopy, controllerHasRsync: controllerHasRsync) }
      }
      var all: [(String, [String: [String: String]], String)] = []
      for try await result in group { all.append(result) }
      return all
    }
    for (machine, folders, log) in results {
      for (software, builds) in folders { deployment.folders[software, default: [:]][machine] = builds }
      deployment.logs[machine] = log
    }
    for software in experiment.software {
      for (key, commit) in sources[software.name]?.commits ?? [:] { deployment.commits[software.name, default: [:]][key] = commit }
    }
    return deployment
  }

  /// One machine: its packages, then each software's builds. Returns the folders of each build
  /// and the log's path in the results.
  ///
  /// - Throws: `Diagnostic` (a failed step), `DeployStopped` (mpf was told to stop: the step in
  ///   progress was ended there).
  private func deploy(
    to machine: Machine, sources: [String: SoftwareSource], controllerHasRsync: Bool
  ) async throws -> (String, [String: [String: String]], String) {
    let log = DeployLog(machine: machine.displayName, write: writeLog)
    func run(_ command: String, _ what: String) async throws -> CommandOutput {
      log.step = what
      let started = Clock.monotonic()
      let output = try await connector.execute(command, on: machine)
      log.record(what, output, seconds: Clock.monotonic() - started)
      return output
    }
    do {
      let folders = try await deploy(to: machine, sources: sources, controllerHasRsync: controllerHasRsync, log: log, run: run)
      return (log.machine, folders, log.save())
    } catch is CommandStopped {
      log.save()
      throw DeployStopped(machine: log.machine, step: log.step)
    }
  }

  private func deploy(
    to machine: Machine, sources: [String: SoftwareSource], controllerHasRsync: Bool, log: DeployLog,
    run: (String, String) async throws -> CommandOutput
  ) async throws -> [String: [String: String]] {
    let name = machine.displayName
    // `{node}` in software_dir: a folder per node where nodes share a filesystem. Nodes that
    // usually share their home (a Slurm pool's) get a default folder per node too.
    let launcher = connector.launcher(for: machine)
    let base = machine.softwareDirectory.map { $0.replacingAll("{node}", with: machine.hostname) }
      .map { $0.hasPrefix("~/") ? "\"$HOME\"/" + ShellQuote.quote(String($0.dropFirst(2))) : ShellQuote.quote($0) }
      ?? "\"${XDG_CACHE_HOME:-$HOME/.cache}/mpf/software\"" + (launcher.sharesFiles ? "/" + ShellQuote.quote(machine.hostname) : "")
    let probe = try await run(
      "mkdir -p \(base) && cd \(base) && pwd -P; (. /etc/os-release 2>/dev/null; echo \"$ID $ID_LIKE\"); "
        + "command -v rsync >/dev/null 2>&1 && echo rsync || echo no-rsync; id -u", "probe")
    let answer = probe.stdout.lines()
    guard probe.status == 0, answer.count == 4 else { throw log.failure("cannot prepare the software folder \(base)", probe, kind: .io) }
    let root = answer[0]
    let family = Set(answer[1].split(separator: " ").map(String.init))
    // rsync where both ends have it and the launcher can take it there; else a tar stream.
    let rsync = answer[2] == "rsync" && controllerHasRsync && !forceTar
    let sudo = answer[3] == "0" ? "" : "sudo -n "
    var folders: [String: [String: String]] = [:]
    let here = experiment.software.filter { software in software.roles.contains { cluster.nodes(of: $0).contains { $0.machine == machine } } }
    for software in here {
      try await installPackages(software, on: name, family: family, sudo: sudo, run: run, fail: { log.failure($0, $1, software: $2) })
      guard let source = sources[software.name] else { continue }
      for build in Deployment.builds(of: software, variables: experiment.variables) {
        guard let from = source.folders[build.key] else { continue }
        let folder = root + "/" + software.name + "/" + build.key
        let label = build.key == "default" ? software.name : "\(software.name) [\(build.key)]"
        let started = Clock.monotonic()
        let copied = try await copy(from, to: folder, on: machine, rsync: rsync, run: run, fail: { log.failure($0, $1, software: software) })
        for (index, step) in software.build.enumerated() {
          let command = Software.expand(step, with: build.values)
          log.step = "[\(label)] \(command)"
          try await buildStep(index, command, of: software, label: label, in: folder, on: machine, log: log)
        }
        folders[software.name, default: [:]][build.key] = folder
        progress("deploy \(label) on \(name): \(copied), \(software.build.count) build step\(software.build.count == 1 ? "" : "s") (\(Deployer.seconds(Clock.monotonic() - started)) s)")
      }
    }
    return folders
  }

  private func installPackages(
    _ software: Software, on machine: String, family: Set<String>, sudo: String,
    run: (String, String) async throws -> CommandOutput,
    fail: (String, CommandOutput?, Software?) -> Diagnostic
  ) async throws {
    let apt = !family.isDisjoint(with: ["debian", "ubuntu"])
    let dnf = !family.isDisjoint(with: ["fedora", "rhel", "centos"])
    let packages = apt ? software.apt : dnf ? software.dnf : []
    guard !packages.isEmpty else {
      if !(software.apt.isEmpty && software.dnf.isEmpty) && !apt && !dnf {
        throw fail("mpf.software '\(software.name)' lists packages, but the machine is neither Debian-like nor Fedora-like (/etc/os-release says '\(family.sorted().joined(separator: " "))')", nil, software)
      }
      return
    }
    let check = apt ? "dpkg-query -W -f='${db:Status-Abbrev}' \"$p\" 2>/dev/null | grep -q '^ii'" : "rpm -q \"$p\" >/dev/null 2>&1"
    let listed = packages.map(ShellQuote.quote).joined(separator: " ")
    let missing = try await run("for p in \(listed); do \(check) || echo \"$p\"; done", "which of \(packages.joined(separator: ", ")) are missing")
    let names = missing.stdout.lines().filter { !$0.isEmpty }
    guard !names.isEmpty else { return }
    if !sudo.isEmpty {
      let allowed = try await run("sudo -n true", "sudo -n true")
      if allowed.status == 127 {
        throw fail(
          "packages \(names.joined(separator: ", ")) are missing, mpf is not root there and sudo is not installed: install them there, or connect as root",
          allowed, software)
      }
      guard allowed.status == 0 else {
        throw fail(
          "packages \(names.joined(separator: ", ")) are missing and sudo would ask for a password: install them there, or allow this user sudo without a password",
          allowed, software)
      }
    }
    let quoted = names.map(ShellQuote.quote).joined(separator: " ")
    let command = apt ? "\(sudo)env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \(quoted)" : "\(sudo)dnf install -y -q \(quoted)"
    progress("deploy \(software.name) on \(machine): installing \(names.joined(separator: ", "))")
    let installed = try await run(command, command)
    guard installed.status == 0 else { throw fail("cannot install \(names.joined(separator: ", "))", installed, software) }
  }

  /// `1.25` for 1.2468 s.
  static func seconds(_ value: Double) -> String {
    let hundredths = NumberBounds.clampedInt(value * 100, to: 0...Int.max / 2, nan: 0)
    return "\(hundredths / 100).\(String(hundredths % 100).zeroPadded(to: 2))"
  }
}
