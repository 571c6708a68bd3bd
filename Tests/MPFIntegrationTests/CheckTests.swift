import Testing
import MPFCore
import MPFSystem
import MPFText

/// `mpf check` and `mpf types`: editor support and mistakes found without running anything.
@Suite struct CheckTests {
  @Test func checkReportsEveryMistakeAtItsLineWithoutRunningAnything() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let cluster = FileSystem.join(dir, "cluster.yaml")
    try FileSystem.writeAtomically(cluster, Array("""
      machines:
        - {hostname: localhost, role: server, interfaces: [{name: lo, ip: 127.0.0.1}]}
        - {hostname: localhost, role: client, interfaces: [{name: lo, ip: 127.0.0.1}]}

      """.utf8))
    let marker = FileSystem.join(dir, "ran")
    let script = MPFCommand.fixture("check_mistakes.lua")
    let result = try await MPFCommand.run(["check", script, "-c", cluster, "--", marker], in: dir)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty, "\(result.stdout)")
    #expect(!FileSystem.exists(marker), "a command ran")
    #expect(result.stderr.split(separator: "\n").map(String.init) == [
      "\(script):8: error: mpf.run_experiment: unknown option 'n_run' (options: design, label, n_runs, on_error, on_run, seed, wsp_target)",
      "\(script):8: error: mpf.run_experiment: option 'seed' must be a number",
      "\(script):5: error: parameter 'sise' is neither ctx nor a variable (variables: size)",
      "\(script):6: error: an init function runs once, before any run: it takes only ctx, not 'size'",
      "\(script):6: error: role 'clinet' is not in \(cluster) (roles: server, client)",
    ])
  }

  @Test func checkPassesTheExamplesAndRefusesWhatCannotRun() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let iperf = FileSystem.join(MPFCommand.repository, "examples/iperf.lua")
    let ok = try await MPFCommand.run(["check", iperf, "-c", FileSystem.join(MPFCommand.repository, "examples/cluster.yaml")], in: dir)
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(ok.stdout.contains("2 variables, 2 functions on server, client, mpf.run_experiment at line"))
    #expect(!FileSystem.exists(FileSystem.join(dir, "mpf_experiments")))
    let syntax = FileSystem.join(dir, "syntax.lua")
    try FileSystem.writeAtomically(syntax, Array("mpf.add_variable('x', {1})\nx = = 1\n".utf8))
    let bad = try await MPFCommand.run(["check", syntax], in: dir)
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("syntax.lua:2:"))
    let none = FileSystem.join(dir, "none.lua")
    try FileSystem.writeAtomically(none, Array("x = 1\n".utf8))
    let never = try await MPFCommand.run(["check", none], in: dir)
    #expect(never.status == 1)
    #expect(never.stderr.contains("no mpf.run_experiment"))
  }

  @Test func typesDeclareTheWholeAPIAndParse() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let types = try await MPFCommand.run(["types"], in: dir)
    #expect(types.status == 0)
    #expect(types.stdout.hasPrefix("---@meta"))
    let file = FileSystem.join(dir, "mpf-types.lua")
    try FileSystem.writeAtomically(file, Array(types.stdout.utf8))
    #expect(try await MPFCommand.runProgram(["luac5.4", "-p", file], in: dir).status == 0)
    // Every member of the real `mpf` table, and every dataframe method, is declared.
    let input = FileSystem.join(dir, "members.lua")
    try FileSystem.writeAtomically(input, Array("for k in pairs(mpf) do print('mpf.' .. k) end\n".utf8))
    let members = try await MPFCommand.runProgram(["sh", "-c", "\(ShellQuote.quote(MPFCommand.binary)) repl < members.lua"], in: dir)
    let names = members.stdout.split(separator: "\n").map(String.init)
    #expect(names.count > 15)
    for name in names {
      #expect(types.stdout.contains("function \(name)(") || types.stdout.contains("\(name) = "), "\(name) is not declared")
    }
    for method in ["filter", "select", "sort", "group_by", "pivot", "mutate", "concat", "column", "plot", "to_csv", "to_json", "to_yaml"] {
      #expect(types.stdout.contains("function DataFrame:\(method)("), "df:\(method) is not declared")
    }
    #expect(types.stdout.contains("function ex(command)"))
  }

  /// Every option the runtime accepts (its tables in lua/stdlib, the one place options are
  /// checked) and every field a run's ctx has is declared in `mpf types` and documented in
  /// docs/lua-api.md.
  @Test func everyOptionAndContextFieldIsTypedAndDocumented() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let types = try await MPFCommand.run(["types"], in: dir).stdout
    let docs = try FileSystem.readString(FileSystem.join(MPFCommand.repository, "docs/lua-api.md"))
    func keys(of table: String, in part: String) throws -> [String] {
      let source = try FileSystem.readString(FileSystem.join(MPFCommand.repository, "lua/stdlib/\(part).lua"))
      let start = try #require(source.firstRange(of: "local \(table) = {"), "\(table) in \(part)")
      let body = source[start.upperBound...].prefix { $0 != "}" }
      return body.split(separator: ",").compactMap { $0.split(separator: "=").first.map { String($0).trimmed() } }.filter { !$0.isEmpty }
    }
    var options: [String] = []
    for (table, part) in [("run_options", "mpf.declare"), ("init_options", "mpf.declare"), ("experiment_options", "mpf.options"),
                          ("plot_options", "mpf.dataframe"), ("fields", "mpf.software")] {
      let found = try keys(of: table, in: part)
      #expect(found.count >= 2, "\(table): \(found)")
      options += found
    }
    for option in Set(options) {
      #expect(types.contains("---@field \(option) "), "option \(option) is not in mpf types")
      #expect(docs.contains(option), "option \(option) is not in docs/lua-api.md")
    }
    let run = try await MPFCommand.run([MPFCommand.fixture("ctx_keys.lua"), "-q"], in: dir)
    let fields = run.stdout.trimmed().split(separator: "\t").flatMap { $0.split(separator: ",") }.map(String.init).filter { Int($0) == nil }
    #expect(fields.contains("node") && fields.contains("kind") && fields.contains("machine"), "\(run.stdout) \(run.stderr)")
    for field in Set(fields) {
      #expect(types.contains("---@field \(field) "), "ctx field \(field) is not in mpf types")
      #expect(docs.contains("ctx.\(field)") || docs.contains("`\(field)`"), "ctx field \(field) is not in docs/lua-api.md")
    }
  }

  /// mpf check reports every mistake of the declarations, not only the first, and warns of a
  /// `$name` in ex that nothing expands (a typo the shell turns into nothing).
  @Test func checkReportsEveryDeclarationMistakeAndUnknownNamesInEx() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = MPFCommand.fixture("check_all.lua")
    let result = try await MPFCommand.run(["check", script], in: dir)
    #expect(result.status == 1)
    let lines = result.stderr.lines()
    for (line, text) in [(2, "error: variable 'size' has no values"), (3, "error: mpf.range expects numbers"),
                         (5, "error: mpf.run: unknown option 'dely'"), (10, "error: mpf.run_experiment: n_runs must be a whole number >= 1")] {
      #expect(lines.contains { $0.hasPrefix("\(script):\(line): \(text)") }, "line \(line): \(result.stderr)")
    }
    let warnings = lines.filter { $0.contains("warning: ex:") }
    #expect(warnings.count == 1, "\(result.stderr)")
    #expect(warnings.first?.hasPrefix("\(script):8: warning: ex: $cuont is not a parameter") == true, "\(warnings)")
    #expect(warnings.first?.hasSuffix("(did you mean $count?)") == true, "\(warnings)")
    // Without the mistakes, the typo alone: ok, and said.
    let clean = FileSystem.join(dir, "typo.lua")
    try FileSystem.writeAtomically(clean, Array("mpf.add_variable('size', {1})\nmpf.run{role = 'a'}(function(size) ex 'echo $sise' end)\nmpf.run_experiment{}\n".utf8))
    let typo = try await MPFCommand.run(["check", clean], in: dir)
    #expect(typo.status == 0)
    #expect(typo.stderr.contains("typo.lua:2: warning: ex: $sise") && typo.stderr.contains("(did you mean $size?)"), "\(typo.stderr)")
    #expect(typo.stdout.contains(": ok, but 1 warning above"), "\(typo.stdout)")
  }

  /// run_experiment inside a coroutine of the script's: a worker's stop at the call would end
  /// only the coroutine, and the code after it ran on every worker while check and plan found
  /// no experiment. Refused everywhere at its line, said once; through a pcall, check names the
  /// user's line (it said -1).
  @Test func runExperimentInsideACoroutineIsRefusedAndAPcallKeepsItsLine() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let marker = FileSystem.join(dir, "after")
    let declare = "mpf.add_variable('x', {1})\nmpf.run{role = 'a'}(function(x) return {v = x} end)\n"
    try FileSystem.writeAtomically(
      FileSystem.join(dir, "co.lua"),
      Array((declare + "coroutine.wrap(function() mpf.run_experiment{n_runs = 1} end)()\nio.open('\(marker)', 'w'):close()\n").utf8))
    let said = "co.lua:3: error: mpf.run_experiment cannot be called inside a coroutine: call it from the script itself (each worker stops the script at this call)\n"
    for command in [["check", "co.lua"], ["plan", "co.lua"], ["co.lua", "-q"]] {
      let result = try await MPFCommand.run(command, in: dir)
      #expect(result.status == 1 && result.stderr == said, "\(command): \(result.stderr)")
    }
    #expect(!FileSystem.exists(marker) && !FileSystem.exists(FileSystem.join(dir, "mpf_experiments")))
    try FileSystem.writeAtomically(
      FileSystem.join(dir, "pc.lua"), Array((declare + "local ok = pcall(mpf.run_experiment, {n_runs = 1, bogus = 1})\n").utf8))
    let check = try await MPFCommand.run(["check", "pc.lua"], in: dir)
    #expect(check.status == 1 && check.stderr.hasPrefix("pc.lua:3: error: mpf.run_experiment: unknown option 'bogus'"), "\(check.stderr)")
    // A tail call (`return mpf.run_experiment{...}`) leaves no line to name: check and plan
    // said "attempt to index a nil value" from mpf's own code.
    try FileSystem.writeAtomically(FileSystem.join(dir, "tail.lua"), Array((declare + "return mpf.run_experiment{n_runs = 1}\n").utf8))
    let tail = try await MPFCommand.run(["check", "tail.lua"], in: dir)
    #expect(tail.status == 0 && tail.stdout == "tail.lua: 1 variable, 1 function on a, mpf.run_experiment in a return: ok\n", "\(tail.stdout)\(tail.stderr)")
    let plan = try await MPFCommand.run(["plan", "tail.lua"], in: dir)
    #expect(plan.status == 0 && plan.stdout.hasPrefix("tail.lua: 1 run = 1 point"), "\(plan.stdout)\(plan.stderr)")
    try FileSystem.writeAtomically(FileSystem.join(dir, "tail.lua"), Array((declare + "return mpf.run_experiment{n_runs = 1, bogus = 1}\n").utf8))
    let bad = try await MPFCommand.run(["check", "tail.lua"], in: dir)
    #expect(bad.status == 1 && bad.stderr.hasPrefix("tail.lua: error: mpf.run_experiment: unknown option 'bogus'"), "\(bad.stderr)")
  }
}
