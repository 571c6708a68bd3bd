import Testing
import MPFCore
import MPFYAML
import MPFResults
import MPFSystem
import MPFText

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct ResultsDirectoryTests {
  let experiment = Experiment(
    scriptPath: "dir/exp.lua", scriptSource: "print('hi')\n", arguments: ["fast"],
    variables: [Variable(name: "x", values: [1, 2]), Variable(name: "m", values: ["a"], labels: ["mode A"])],
    functions: [RoleFunction(index: 1, role: "r", parameters: ["ctx", "x"], location: SourceLocation(file: "dir/exp.lua", line: 3))],
    runCount: 2, seed: 99)

  func makeDirectory(_ parent: String) throws -> ResultsDirectory {
    let cluster = Cluster.local(roles: ["r"])
    let results = try ResultsDirectory(parent: parent, scriptPath: experiment.scriptPath, scriptSource: experiment.scriptSource)
    let plan = RunPlan(variables: experiment.variables, runCount: 2, seed: 99)
    try results.begin(
      ExperimentRecord.header(
        experiment: experiment, cluster: cluster, id: results.id, plan: plan, started: 1_700_000_000,
        facts: ["localhost": .record(["kernel": "Linux 6.1", "cpus": 2])], git: .record(["commit": "abc", "dirty": true])))
    return results
  }

  @Test func theFileReadsBackFieldByField() throws {
    let parent = try TemporaryDirectory.make("mpf-test")
    let results = try makeDirectory(parent)
    var row = ResultRow(index: 0, repetition: 1, values: [2, "a"])
    try row.merge(LuaTable(fields: ["goodput": "940 Kbits", "n": 3, "ok": true]), from: experiment.functions[0])
    row.start = 1_700_000_001.5
    row.duration = 0.25
    row.log = "logs/run-0000.log"
    try results.append(run: ExperimentRecord.run(row, variables: experiment.variables))
    var failed = ResultRow(index: 1, repetition: 0, values: [1, "a"])
    failed.fail("exp.lua:4: boom")
    try results.append(run: ExperimentRecord.run(failed, variables: experiment.variables))
    try results.finish(ExperimentRecord.trailer(finished: 1_700_000_010, status: "completed", completed: 2, failed: 1))

    let text = try FileSystem.readString(FileSystem.join(results.path, "experiment.yaml"))
    let doc = try #require(try YAMLParser.parse(text))
    #expect(doc["format"]?.string == "mpf-experiment/2")
    #expect(doc["id"]?.string == results.id)
    #expect(doc["mpf_version"]?.string == MPFVersion.current)
    #expect(doc["started"]?.string == "2023-11-14T22:13:20.000Z")
    #expect(doc["script"]?["path"]?.string == "dir/exp.lua")
    #expect(doc["script"]?["sha256"]?.string == SHA256.hex("print('hi')\n".utf8))
    #expect(doc["script"]?["arguments"]?.luaValue == .list(["fast"]))
    #expect(doc["seed"]?.intValue == 99)
    #expect(doc["n_runs"]?.intValue == 2)
    #expect(doc["planned_runs"]?.intValue == 4)
    let order = RunPlan(variables: experiment.variables, runCount: 2, seed: 99).runs.map { LuaValue.list([.integer(Int64($0.point)), .integer(Int64($0.repetition))]) }
    #expect(doc["run_order"]?.luaValue == .list(order))
    #expect(doc["machines"]?.items.first?["kernel"]?.string == "Linux 6.1")
    #expect(doc["machines"]?.items.first?["cpus"]?.intValue == 2)
    #expect(doc["script"]?["git"]?.luaValue == .record(["commit": "abc", "dirty": true]))
    #expect(doc["variables"]?.items[1]["labels"]?.luaValue == .list(["mode A"]))
    #expect(doc["roles"]?.items[0]["machine"]?.string == "localhost")
    #expect(doc["functions"]?.items[0]["defined_at"]?.string == "dir/exp.lua:3")
    let runs = doc["runs"]?.items ?? []
    #expect(runs.count == 2)
    #expect(runs[0]["index"]?.intValue == 0)
    #expect(runs[0]["repetition"]?.intValue == 1)
    #expect(runs[0]["values"]?.luaValue == .record(["x": 2, "m": "a"]))
    #expect(runs[0]["status"]?.string == "ok")
    #expect(runs[0]["start"]?.string == "2023-11-14T22:13:21.500Z")
    #expect(runs[0]["duration"]?.doubleValue == 0.25)
    #expect(runs[0]["results"]?["goodput"]?.luaValue == .record(["value": 940_000, "unit": "bits", "raw": "940 Kbits"]))
    #expect(runs[0]["results"]?["n"]?.intValue == 3)
    #expect(runs[0]["results"]?["ok"]?.luaValue == true)
    #expect(runs[0]["log"]?.string == "logs/run-0000.log")
    #expect(runs[1]["status"]?.string == "failed")
    #expect(runs[1]["error"]?.string == "exp.lua:4: boom")
    #expect(doc["status"]?.string == "completed")
    #expect(doc["failed_runs"]?.intValue == 1)
    #expect(try FileSystem.readString(FileSystem.join(results.path, "exp.lua")) == "print('hi')\n")
  }

  @Test func aFileCutAfterAnyRunIsValid() throws {
    let results = try makeDirectory(TemporaryDirectory.make("mpf-test"))
    for i in 0..<3 {
      try results.append(run: ExperimentRecord.run(ResultRow(index: i, repetition: 0, values: [1, "a"]), variables: experiment.variables))
    }
    // No trailer: as if mpf was killed after the third run.
    let doc = try #require(try YAMLParser.parse(try FileSystem.readString(FileSystem.join(results.path, "experiment.yaml"))))
    #expect(doc["runs"]?.items.count == 3)
    #expect(doc["status"] == nil)
  }

  @Test func twoDirectoriesNeverCollide() throws {
    let parent = try TemporaryDirectory.make("mpf-test")
    let a = try makeDirectory(parent)
    let b = try makeDirectory(parent)
    #expect(a.path != b.path)
    #expect(a.id.count == 8 && b.id.count == 8)
  }
}
