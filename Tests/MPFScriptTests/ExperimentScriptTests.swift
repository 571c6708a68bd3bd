import Testing
import MPFCore
import MPFTestSupport
import MPFLua
import MPFScript


@Suite struct ExperimentScriptTests {
  @Test func parameterNamesAreRecordedInOrder() throws {
    let experiment = try declaredExperiment(
      """
        mpf.add_variable('b', {1})
        mpf.add_variable('a', {2})
        mpf.run{role = 'r', delay = 0.5, parallel = true}(function(a, mpf_ctx, b) end)
        mpf.init{role = 'r'}(function(ctx) end)
        mpf.run_experiment{n_runs = 2, seed = 9}
        """, path: "p.lua")
    #expect(experiment.functions.map(\.parameters) == [["a", "mpf_ctx", "b"], ["ctx"]])
    #expect(experiment.functions[0].delay == 0.5 && experiment.functions[0].parallel)
    #expect(experiment.functions[1].kind == .once)
    #expect(experiment.functions[0].location == SourceLocation(file: "p.lua", line: 3))
    #expect(experiment.variables.map(\.name) == ["b", "a"])
    #expect(experiment.runCount == 2 && experiment.seed == 9)
  }

  @Test func mapVariablesAreSortedWithLabels() throws {
    let experiment = try declaredExperiment(
      """
        mpf.add_variable('zc', {['-Z'] = 'enabled', [''] = 'disabled'})
        mpf.add_variable('r', mpf.range(0, 1, 0.25))
        mpf.run_experiment()
        """, path: "m.lua", seed: 5)
    #expect(experiment.variables[0].values == ["", "-Z"])
    #expect(experiment.variables[0].labels == ["disabled", "enabled"])
    #expect(experiment.variables[1].values == [0.0, 0.25, 0.5, 0.75, 1.0])
    #expect(experiment.runCount == 3)
  }

  @Test(arguments: [
    ("mpf.add_variable('x', {1})\nmpf.add_variable('x', {2})", 2, "variable 'x' is already defined at u.lua:1"),
    ("mpf.add_variable('ctx', {1})", 1, "'ctx' is reserved for the run context; name the variable otherwise"),
    ("mpf.add_variable('x', 5)", 1, "values of 'x' must be a list, mpf.range(...) or a {value = label} map, got number"),
    ("mpf.add_variable('x', {})", 1, "variable 'x' has no values"),
    ("\nmpf.run{role = 'a', delay = -1}(function() end)", 2, "mpf.run: delay must be between 0 and 86400 seconds (a day)"),
    ("mpf.run{rol = 'a'}(function() end)", 1, "mpf.run: unknown option 'rol' (options: aggregate, delay, link, parallel, retries, role, timeout)"),
    ("mpf.run{role = 'a'}(42)", 1, "mpf.run{...} must be called with a function, got number"),
    ("mpf.run{role = 'a'}(function(y) end)\nmpf.run_experiment()", 1, "parameter 'y' is neither ctx nor a variable (no variable is defined)"),
    ("mpf.run_experiment{runs = 3}", 1, "mpf.run_experiment: unknown option 'runs' (options: design, label, n_runs, on_error, on_run, seed, wsp_target)"),
    ("mpf.range(1, 5, 0)", 1, "mpf.range: step must not be 0"),
  ])
  func misuseIsReportedAtTheUserLine(source: String, line: Int, message: String) throws {
    let error = try #require(throws: Diagnostic.self) { _ = try runController(source, name: "u.lua") }
    #expect(error.location == SourceLocation(file: "u.lua", line: line))
    #expect(error.message == message)
  }

  @Test func argsAreVisibleAsMpfArgs() throws {
    let script = try runController("got = table.concat(mpf.args, ',')")
    #expect(script.lua.global("got") == "a1,a2")
  }

  @Test func mapsAreOrderedByValueAndMpfValuesKeepsItsOrder() throws {
    let experiment = try declaredExperiment(
      """
        mpf.add_variable('size', {['-b 1M'] = '1 MiB', ['-b 64K'] = '64 KiB', ['-b 100K'] = '100 KiB', ['-b 1K'] = '1 KiB'})
        mpf.add_variable('host', {node10 = 'ten', node2 = 'two', node1 = 'one'})
        mpf.add_variable('rate', {['10Mbit'] = 'a', ['1Gbit'] = 'b', ['500Kbit'] = 'c'})
        mpf.add_variable('order', mpf.values{{1, 'one'}, {2, 'two'}, {0, 'zero'}})
        mpf.run_experiment()
        """, path: "o.lua", seed: 1)
    #expect(experiment.variables[0].labels == ["1 KiB", "64 KiB", "100 KiB", "1 MiB"])
    #expect(experiment.variables[1].values == ["node1", "node2", "node10"])
    #expect(experiment.variables[2].values == ["500Kbit", "10Mbit", "1Gbit"])
    #expect(experiment.variables[3].values == [1, 2, 0])
    #expect(experiment.variables[3].labels == ["one", "two", "zero"])
  }

  @Test func rangesCarryNoRoundingNoise() throws {
    let experiment = try declaredExperiment(
      "mpf.add_variable('r', mpf.range(0.1, 0.5, 0.1))\nmpf.add_variable('n', mpf.range(1, 3))\nmpf.run_experiment()",
      path: "r.lua", seed: 1)
    #expect(experiment.variables[0].values == [0.1, 0.2, 0.3, 0.4, 0.5])
    #expect(experiment.variables[1].values == [.integer(1), .integer(2), .integer(3)])
  }

  @Test func columnsMpfAddsCannotBeVariables() throws {
    let error = try #require(throws: Diagnostic.self) {
      _ = try declaredExperiment("mpf.add_variable('status', {1})\nmpf.run_experiment()", path: "s.lua")
    }
    #expect(error.description == "s.lua:1: error: 'status' is a column mpf adds to every row (repetition, status, error); name the variable otherwise")
  }

  @Test(arguments: [
    ("mpf.run{role = 'a', delay = math.huge}(function() end)", "mpf.run: delay must be between 0 and 86400 seconds (a day)"),
    ("mpf.run{role = 'a', timeout = 0/0}(function() end)", "mpf.run: timeout must be > 0 seconds and at most a week"),
    ("mpf.add_variable('x', {1, 2, 1.0})", "variable 'x' has the value 1.0 twice (values 1 and 3); each value must be distinct"),
    ("mpf.add_variable('s', {'a', 'b', 'a'})", "variable 's' has the value 'a' twice (values 1 and 3); each value must be distinct"),
  ])
  func numbersAndValuesAreCheckedAtTheUserLine(line: String, message: String) throws {
    let error = try #require(throws: Diagnostic.self) { _ = try declaredExperiment(line + "\nmpf.run_experiment()", path: "c.lua") }
    #expect(error.location == SourceLocation(file: "c.lua", line: 1))
    #expect(error.message == message)
  }

  @Test func aPlanTooLargeToHoldIsRefusedAtTheUserLine() throws {
    var source = ""
    for i in 1...30 { source += "mpf.add_variable('v\(i)', {1, 2})\n" }
    source += "mpf.run_experiment()\n"
    let error = try #require(throws: Diagnostic.self) { _ = try declaredExperiment(source, path: "big.lua") }
    #expect(error.location == SourceLocation(file: "big.lua", line: 31))
    #expect(error.message.hasPrefix("mpf.run_experiment: the plan has 3221225472 runs"))
  }
}
