import Testing
import MPFYAML
import MPFSystem
import MPFText

#if canImport(Glibc)
  import Glibc
#endif

/// Versions of the code as first-class: `--pin` holds a variable to one value (and a resume
/// keeps it), and `mpf bisect` finds the commit that moved a result in a generated repository,
/// skipping a commit that does not build, reusing its probes the second time.
@Suite struct VersionsTests {
  static let script = """
    mpf.add_variable('version', {'main'})
    mpf.add_variable('size', {1, 2})
    mpf.software{name = 'app', role = 'a', git = {url = 'repo', ref = '$version'}, build = {'sh build.sh'}}
    mpf.run{role = 'a'}(function(ctx, size)
      local f = assert(io.open(ctx.software.app.dir .. '/out.txt'))
      local v = tonumber(f:read('a'))
      f:close()
      if v == 77 then return {goodput = 0/0} end
      return {goodput = v * size + ctx.repetition * 0.5}
    end)
    mpf.run_experiment{n_runs = 3}
    """

  /// A repository of 16 commits on main: goodput halves from commit 10 on (whose subject is
  /// hostile), commit 7 does not build; tag `good` is commit 0.
  static func repository(in dir: String, last: Int = 50) async throws {
    let make = """
      set -e
      git init -q -b main repo && cd repo
      git config user.email t@example.org && git config user.name t
      for i in $(seq 0 15); do
        v=100; [ $i -ge 10 ] && v=50; [ $i -eq 15 ] && v=\(last)
        printf '# commit %s\\necho %s > out.txt\\n' $i $v > build.sh
        [ $i -eq 7 ] && echo 'exit 3' >> build.sh
        git add build.sh
        subject="change $i"; [ $i -eq 10 ] && subject="$(printf 'halve it \\033[31m<b>red</b>')"
        git commit -q -m "$subject"
      done
      git tag good HEAD~15
      """
    let made = try await MPFCommand.runProgram(["sh", "-c", make], in: dir)
    try #require(made.status == 0, "\(made.stderr)")
    try FileSystem.writeAtomically(FileSystem.join(dir, "exp.lua"), Array(script.utf8))
  }

  func mpf(_ arguments: [String], in dir: String) async throws -> CommandResult {
    try await MPFCommand.run(arguments, in: dir, prefix: ["env", "XDG_CACHE_HOME=\(dir)/cache"])
  }

  func git(_ arguments: [String], in dir: String) async throws -> String {
    try await MPFCommand.runProgram(["git", "-C", FileSystem.join(dir, "repo")] + arguments, in: dir).stdout.trimmed()
  }

  func experiments(in dir: String) -> [String] {
    ((try? FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments"))) ?? []).filter { !$0.hasPrefix("bisect-") }.sorted()
  }

  @Test(.timeLimit(.minutes(3))) func bisectFindsTheCommitThatMovedTheResult() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try await Self.repository(in: dir)
    let first = try await git(["rev-parse", "main~5"], in: dir)
    let broken = try await git(["rev-parse", "main~8"], in: dir)
    let arguments = ["bisect", "exp.lua", "--variable", "version", "--good", "good", "--bad", "main", "--on", "goodput", "-q"]
    // A link planted where the graph goes: the answer stands, the graph is refused, nothing is
    // written through the link.
    let good = try await git(["rev-parse", "good"], in: dir), bad = try await git(["rev-parse", "main"], in: dir)
    let outside = FileSystem.join(dir, "outside")
    try FileSystem.createDirectory(outside)
    try FileSystem.createDirectory(FileSystem.join(dir, "mpf_experiments"))
    #expect(symlink(outside, FileSystem.join(dir, "mpf_experiments/bisect-\(good.prefix(8))-\(bad.prefix(8))")) == 0)
    let bisect = try await mpf(arguments, in: dir)
    #expect(bisect.status == 0, "\(bisect.stderr)")
    #expect(bisect.stdout.contains("first bad commit: \(first) halve it \\e[31m<b>red</b>"), "\(bisect.stdout)")
    #expect(bisect.stdout.contains("goodput is 49.8% lower at the bad end (mean over the 2 points where the ends differ): a regression (higher is better, by its name)"), "\(bisect.stdout)")
    #expect(bisect.stderr.contains("cannot draw the graph") && bisect.stderr.contains("symbolic link"), "\(bisect.stderr)")
    #expect(try FileSystem.directoryEntries(outside).isEmpty, "nothing written through the planted link")
    FileSystem.removeFile(FileSystem.join(dir, "mpf_experiments/bisect-\(good.prefix(8))-\(bad.prefix(8))"))
    #expect(!bisect.stdout.unicodeScalars.contains("\u{1B}"), "a commit's subject is shown escaped")
    let probes = bisect.stdout.split(separator: "\n").filter { $0.hasPrefix("probe ") }
    // Both ends, then about log2(14) probes: never one per commit.
    #expect(probes.count >= 4 && probes.count <= 7, "\(probes)")
    #expect(probes.contains { $0.contains(broken.prefix(10)) && $0.contains("skipped") }, "commit 7 does not build: skipped")
    #expect(bisect.stdout.contains("build step 1 `sh build.sh` failed (exit status 3)"), "why it was skipped")
    // Each probe is an experiment of its own, with the variable pinned to its commit.
    let stored = experiments(in: dir)
    #expect(stored.count == probes.count, "\(stored)")
    let yaml = try #require(try YAMLParser.parse(try FileSystem.readString(FileSystem.join(dir, "mpf_experiments/\(stored[0])/experiment.yaml"))))
    let pinned = try #require(yaml["pinned"]?["version"]?.string)
    #expect(probes.contains { $0.contains(pinned.prefix(10)) }, "\(pinned)")
    // The same command again measures nothing new: every probe is found stored.
    let again = try await mpf(arguments + ["--lower-is-better"], in: dir)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("first bad commit: \(first)"))
    #expect(again.stdout.contains(": an improvement (lower is better, as you said); mpf bisect finds the commit that made it"), "\(again.stdout)")
    let measuredAgain = again.stdout.split(separator: "\n").filter { $0.hasPrefix("probe ") && !$0.contains("skipped") }
    #expect(!measuredAgain.isEmpty && measuredAgain.allSatisfy { $0.contains("(stored)") }, "\(again.stdout)")
    #expect(experiments(in: dir) == stored, "no new experiment")
    // The graph of the probes, drawn against the commits.
    let graph = try #require(again.stdout.split(separator: "\n").first { $0.hasPrefix("graph: ") }).dropFirst("graph: ".count)
    let svg = try FileSystem.readString(FileSystem.join(dir, String(graph)))
    #expect(svg.contains(String(first.prefix(8))) && svg.contains("like the bad end"))
    #expect(!svg.unicodeScalars.contains("\u{1B}") && !svg.contains("<b>red"), "the subject is quoted in the SVG")
  }

  @Test(.timeLimit(.minutes(2))) func endsThatDoNotDifferStopTheSearch() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try await Self.repository(in: dir)
    let bisect = try await mpf(["bisect", "exp.lua", "--variable", "version", "--good", "good", "--bad", "main~10", "--on", "goodput", "-q"], in: dir)
    #expect(bisect.status == 0, "\(bisect.stderr)")
    #expect(bisect.stdout.contains("do not differ significantly on goodput"), "\(bisect.stdout)")
    #expect(experiments(in: dir).count == 2, "the two ends only")
  }

  @Test(.timeLimit(.minutes(2))) func badBisectsAreRefusedWithWhatToDo() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try await Self.repository(in: dir)
    func refused(_ extra: [String], saying: String) async throws {
      let base = ["bisect", "exp.lua", "--on", "goodput", "-q"]
      let result = try await mpf(base + extra, in: dir)
      #expect(result.status != 0 && result.stderr.contains(saying), "\(extra): \(result.stderr)")
    }
    try await refused(["--variable", "version", "--good", "main", "--bad", "good"], saying: "is not an ancestor of the bad one")
    try await refused(["--variable", "version", "--good", "--upload-pack=touch x", "--bad", "main"], saying: "is not a git ref")
    try await refused(["--variable", "version", "--good", "nope", "--bad", "main"], saying: "'nope' is not a branch, tag or commit")
    try await refused(["--variable", "size", "--good", "good", "--bad", "main"], saying: "no mpf.software of exp.lua has it in its git ref")
    try await refused(["--variable", "speed", "--good", "good", "--bad", "main"], saying: "declares no such variable (variables: version, size)")
    try await refused(["--variable", "version", "--good", "good", "--bad", "main~12", "--on", "latency"], saying: "'latency' is not a numeric result")
    try await refused(["--variable", "version", "--good", "main", "--bad", "main"], saying: "the good and bad refs are one commit")
    try await refused(["--variable", "version", "--good", "good", "--bad", "main", "-n", "1"], saying: "at least 2 runs of each point")
    #expect(!FileSystem.exists(FileSystem.join(dir, "x")), "a ref is never an option of git")
    // A cluster file without the script's role: said once, as mpf check says it.
    try FileSystem.writeAtomically(FileSystem.join(dir, "other.yaml"), Array("machines:\n  - {hostname: localhost, role: b}\n".utf8))
    let roles = try await mpf(["bisect", "exp.lua", "--variable", "version", "--good", "good", "--bad", "main", "--on", "goodput", "-c", "other.yaml"], in: dir)
    #expect(roles.status == 1 && roles.stderr.hasPrefix("exp.lua:4: error: role 'a' is not in other.yaml (roles: b)"), "\(roles.stderr)")
    #expect(!roles.stderr.contains("error: exp.lua"), "\(roles.stderr)")
    // A ref made of more than the variable cannot take a commit.
    let template = Self.script.replacing("ref = '$version'", with: "ref = 'v$version'")
    try FileSystem.writeAtomically(FileSystem.join(dir, "template.lua"), Array(template.utf8))
    let result = try await mpf(["bisect", "template.lua", "--variable", "version", "--good", "good", "--bad", "main", "--on", "goodput"], in: dir)
    #expect(result.status != 0 && result.stderr.contains("so the ref must be '$version' alone"), "\(result.stderr)")
    // A good end on a side branch merged later is not on the bad end's first-parent line.
    let merge = try await MPFCommand.runProgram(["sh", "-c", """
      set -e; cd repo; git checkout -q -b side good; echo side > SIDE; git add SIDE; git commit -q -m side; git tag fixed
      git checkout -q main; git merge -q --no-edit side; git commit -q --allow-empty -m after
      """], in: dir)
    try #require(merge.status == 0, "\(merge.stderr)")
    try await refused(["--variable", "version", "--good", "fixed", "--bad", "main"], saying: "not on its first-parent line")
  }

  /// An end without a finite result (NaN here) cannot serve, and says what to do.
  @Test(.timeLimit(.minutes(2))) func anEndWithoutAFiniteResultIsRefused() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try await Self.repository(in: dir, last: 77)
    let bisect = try await mpf(["bisect", "exp.lua", "--variable", "version", "--good", "good", "--bad", "main", "--on", "goodput", "-q"], in: dir)
    #expect(bisect.status != 0, "\(bisect.stdout)")
    #expect(bisect.stderr.contains("the bad end ") && bisect.stderr.contains("cannot be measured: no ok run measured a finite goodput"), "\(bisect.stderr)")
    #expect(bisect.stderr.contains("give --bad a commit that builds and measures goodput"), "\(bisect.stderr)")
  }

  @Test(.timeLimit(.minutes(2))) func aPinHoldsAVariableAndAResumeKeepsIt() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = """
      mpf.add_variable('mode', {fast = 'quick', slow = 'careful'})
      mpf.add_variable('n', {1, 2, 4})
      mpf.run{role = 'a'}(function(mode, n) return {t = n} end)
      mpf.run_experiment{n_runs = 1}
      """
    try FileSystem.writeAtomically(FileSystem.join(dir, "pin.lua"), Array(script.utf8))
    // A label picks its value; a number a numeric variable does not have is taken as one.
    let run = try await mpf(["pin.lua", "-q", "--pin", "mode=careful", "--pin", "n=8"], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let directory = try #require(MPFCommand.experimentDirectory(in: dir))
    let yaml = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(yaml["pinned"]?["mode"]?.string == "careful" && yaml["pinned"]?["n"]?.string == "8")
    let variables = yaml["variables"]?.items ?? []
    #expect(variables.first?["values"]?.items.map { $0.string } == ["slow"], "\(variables)")
    #expect(variables.first?["labels"]?.items.map { $0.string } == ["careful"])
    #expect(variables.last?["values"]?.items.map { $0.string } == ["8"])
    #expect(yaml["planned_runs"]?.string == "1")
    // A resume runs the same plan: the pins are the experiment's.
    let resumed = try await mpf(["resume", directory], in: dir)
    #expect(resumed.status == 0 && resumed.stderr.contains("1 of 1 runs done"), "\(resumed.stderr)")
    let plan = try await mpf(["plan", "pin.lua", "--pin", "n=2"], in: dir)
    #expect(plan.stdout.contains("2 runs = 2 points"), "\(plan.stdout)")
    // A pinned variable another's `when` names: the condition still holds, and never applies.
    let when = """
      mpf.add_variable('mode', {'plain', 'built'})
      mpf.add_variable('version', {'a', 'b'}, {when = {mode = 'built'}})
      mpf.run{role = 'a'}(function(mode, version) return {t = 1} end)
      mpf.run_experiment{n_runs = 1}
      """
    try FileSystem.writeAtomically(FileSystem.join(dir, "when.lua"), Array(when.utf8))
    let pinnedWhen = try await mpf(["plan", "when.lua", "--pin", "mode=plain"], in: dir)
    #expect(pinnedWhen.status == 0 && pinnedWhen.stdout.contains("1 run = 1 point"), "\(pinnedWhen.stdout)\(pinnedWhen.stderr)")
    for (bad, saying) in [
      (["--pin", "nn=2"], "--pin nn=...: the script declares no variable 'nn' (variables: mode, n)"),
      (["--pin", "n=abc"], "--pin n=abc: 'n' is a variable of numbers (1, 2, 4): give a finite number"),
      (["--pin", "n=inf"], "give a finite number"), (["--pin", "n=nan"], "give a finite number"),
      (["--pin", "1x=2"], "is not NAME=VALUE"), (["--pin", "n"], "is not NAME=VALUE"),
      (["--pin", "n=1", "--pin", "n=2"], "--pin n is given twice"),
    ] {
      let result = try await mpf(["pin.lua", "-q"] + bad, in: dir)
      #expect(result.status != 0 && result.stderr.contains(saying), "\(bad): \(result.stderr)")
    }
  }
}

/// mpf bisect over ssh: each probe deploys and builds its commit on a test host.
@Suite(.enabled(if: TestHosts.current != nil, "needs MPF_TEST_HOSTS (scripts/with-testhosts)"))
struct RemoteBisectTests {
  let hosts = TestHosts.current ?? TestHosts(directory: "", hosts: [:])

  @Test(.timeLimit(.minutes(3))) func bisectBuildsEachProbeOnTheNode() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try await VersionsTests.repository(in: dir)
    let script = VersionsTests.script.replacing("name = 'app'", with: "name = 'bisected'")
      .replacing("ctx.software.app.dir", with: "ctx.software.bisected.dir")
    try FileSystem.writeAtomically(FileSystem.join(dir, "exp.lua"), Array(script.utf8))
    let cluster = try await hosts.cluster("  - {hostname: h18, role: a}\n", in: dir)
    let first = try await MPFCommand.runProgram(["git", "-C", FileSystem.join(dir, "repo"), "rev-parse", "main~5"], in: dir).stdout.trimmed()
    let arguments = ["bisect", "exp.lua", "--variable", "version", "--good", "good", "--bad", "main", "--on", "goodput", "-q"]
    // Probes measured on this machine are not the cluster's: the bisect on h18 measures its own.
    let local = try await MPFCommand.run(arguments, in: dir, prefix: ["env", "XDG_CACHE_HOME=\(dir)/cache"])
    #expect(local.status == 0 && local.stdout.contains("first bad commit: \(first)"), "\(local.stdout)\(local.stderr)")
    let bisect = try await hosts.mpf(arguments + ["-c", cluster], in: dir)
    #expect(bisect.status == 0, "\(bisect.stderr)")
    #expect(bisect.stdout.contains("first bad commit: \(first)"), "\(bisect.stdout)")
    #expect(bisect.stdout.contains("deploying on h18"), "the broken commit failed to build on the node: \(bisect.stdout)")
    #expect(!bisect.stdout.contains("(stored)"), "nothing measured here is reused for the cluster: \(bisect.stdout)")
  }
}
