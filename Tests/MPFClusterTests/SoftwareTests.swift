import Testing
import MPFCore
import MPFCluster

@Suite struct SoftwareTests {
  let variables = [
    Variable(name: "opt", values: ["-O2", "-O3"]), Variable(name: "n", values: [1, 2, 3]), Variable(name: "version", values: ["v1", "v2"]),
  ]

  @Test func buildVariablesAreThoseNamedInStepsOrTheRef() {
    var software = Software(name: "app", roles: ["a"], source: .git(url: "/r", ref: "${version}"))
    software.build = ["make OPT=$opt", "echo $HOME $1 $$ ${nothing}"]
    #expect(software.buildVariables(among: variables) == ["opt", "version"])
    #expect(Software(name: "x", roles: [], source: .folder("/x")).buildVariables(among: variables).isEmpty)
  }

  @Test func expandFillsKnownNamesAndLeavesTheRestToTheShell() {
    let values = ["opt": "-O2", "version": "v1"]
    #expect(Software.expand("make OPT=$opt V=${version} $HOME $$ $1 ${x} $", with: values) == "make OPT=-O2 V=v1 $HOME $$ $1 ${x} $")
    #expect(Software.expand("$optimise", with: values) == "$optimise")
  }

  /// git's own reason is kept, not the generic trailer of a failed fetch that followed it.
  @Test func gitsReasonIsKeptOverItsTrailer() {
    let fetch = """
      error: '/w/b.lua' does not look like a v2 or v3 bundle file
      fatal: invalid gitfile format: /w/b.lua
      fatal: Could not read from remote repository.

      Please make sure you have the correct access rights
      and the repository exists.

      """
    #expect(GitMirror.reason(fetch) == "error: '/w/b.lua' does not look like a v2 or v3 bundle file fatal: invalid gitfile format: /w/b.lua")
    #expect(GitMirror.reason("hint: a\nhint: b\nsomething odd\nlast\n") == "hint: b something odd last")
    #expect(GitMirror.reason("") == "")
  }

  @Test func buildKeysAreSafeFolderNames() {
    #expect(Software.buildKey([]) == "default")
    #expect(Software.buildKey([("opt", "-O2"), ("version", "v1.2")]) == "opt=-O2,version=v1.2")
    let replaced = Software.buildKey([("ref", "feature/x y")])
    #expect(replaced.hasPrefix("ref=feature_x_y-") && replaced.utf8.count == "ref=feature_x_y-".utf8.count + 12, "\(replaced)")
    // Two values that are made safe alike never share a build's folder.
    #expect(Software.buildKey([("version", "feat/x")]) != Software.buildKey([("version", "feat_x")]))
    #expect(Software.buildKey([("version", "feat_x")]) == "version=feat_x")
    let long = Software.buildKey([("ref", String(repeating: "é", count: 100))])
    #expect(long.utf8.count <= 73 && !long.contains("/"))
    #expect(long != Software.buildKey([("ref", String(repeating: "è", count: 100))]))
  }

  @Test func buildsAreEveryCombinationOfTheBuildVariables() {
    var software = Software(name: "app", roles: ["a"], source: .folder("/x"))
    software.build = ["make OPT=$opt V=$version"]
    let builds = Deployment.builds(of: software, variables: variables)
    #expect(builds.map(\.key) == ["opt=-O2,version=v1", "opt=-O2,version=v2", "opt=-O3,version=v1", "opt=-O3,version=v2"])
    #expect(builds[1].values == ["opt": "-O2", "version": "v2"])
  }

  /// Runs of one build follow each other; within a build the shuffled order stays.
  @Test func runsAreGroupedByBuildKeepingTheShuffledOrder() {
    let plain = RunPlan(variables: variables, runCount: 2, seed: 7)
    let grouped = RunPlan(variables: variables, runCount: 2, seed: 7, groupedBy: ["opt"])
    #expect(grouped.runs.count == plain.runs.count)
    let opts = grouped.runs.map { $0.values[0] }
    let firstChange = opts.firstIndex { $0 != opts[0] } ?? opts.count
    #expect(firstChange == 12 && opts[firstChange...].allSatisfy { $0 != opts[0] })
    #expect(opts[0] == plain.runs[0].values[0])
    let within = grouped.runs.prefix(12).map { [$0.point, $0.repetition] }
    let shuffled = plain.runs.filter { $0.values[0] == opts[0] }.map { [$0.point, $0.repetition] }
    #expect(within == shuffled)
    #expect(grouped.runs.map(\.index) == Array(0..<24))
  }
}
