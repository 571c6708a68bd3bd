import Testing
import MPFCore
import MPFWorker
import MPFSystem
import MPFText
#if canImport(Glibc)
  import Glibc
#endif

/// `mpf repl`, through a pipe and through a real pseudo-terminal (Support/pty-drive.py types
/// the keys, arrows and Ctrl-C included).
@Suite struct ReplTests {
  /// Runs `mpf repl ARGS` with `input` on its standard input (not a terminal).
  func piped(_ input: String, _ arguments: [String] = [], in dir: String) async throws -> CommandResult {
    let file = FileSystem.join(dir, "input-\(MPFCommand.uniqueMarker()).lua")
    try FileSystem.writeAtomically(file, Array(input.utf8))
    let quoted = ([MPFCommand.binary, "repl"] + arguments).map(ShellQuote.quote).joined(separator: " ")
    return try await MPFCommand.runProgram(["sh", "-c", "\(quoted) < \(ShellQuote.quote(file))"], in: dir, environment: ["XDG_STATE_HOME=\(dir)/state"])
  }

  /// Drives `mpf repl ARGS` through a pseudo-terminal with `steps` (see pty-drive.py).
  func typed(_ steps: String, _ arguments: [String] = [], in dir: String, marker: String = "none") async throws -> CommandResult {
    let file = FileSystem.join(dir, "steps-\(MPFCommand.uniqueMarker()).json")
    try FileSystem.writeAtomically(file, Array(steps.utf8))
    let driver = FileSystem.join(MPFCommand.repository, "Tests/MPFIntegrationTests/Support/pty-drive.py")
    return try await MPFCommand.runProgram(
      ["/usr/bin/python3", driver, file, "--", MPFCommand.binary, "repl"] + arguments, in: dir,
      environment: ["XDG_STATE_HOME=\(dir)/state", "MPF_TEST_MARKER=\(marker)"])
  }

  @Test func pipedInputPrintsValuesWithoutPromptAndStopsAtAnError() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let ok = try await piped("x = 20 + 1\nx * 2\nfor i = 1, 2 do\n  print('line ' .. i)\nend\n{1, 'two', k = {true}}\nmpf.range(1, 3)\n", in: dir)
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(ok.stdout == "42\nline 1\nline 2\n{1, \"two\", k = {true}}\n{1, 2, 3}\n")
    #expect(ok.stderr.isEmpty, "no banner or prompt: \(ok.stderr)")
    let failing = try await piped("print('before')\nerror('boom')\nprint('after')\n", in: dir)
    #expect(failing.status == 1)
    #expect(failing.stdout == "before\n")
    #expect(failing.stderr.contains("stdin:1: boom"))
    let unfinished = try await piped("for i = 1, 2 do\n", in: dir)
    #expect(unfinished.status == 1)
    #expect(unfinished.stderr.contains("unfinished chunk"))
    let echo = try await MPFCommand.runProgram(["sh", "-c", "echo '1 + 1' | \(ShellQuote.quote(MPFCommand.binary)) repl"], in: dir)
    #expect(echo.stdout == "2\n")
  }

  /// At the prompt an experiment may run again, but not from the on_run of one still running:
  /// the inner one's on_run took the outer one's place for the rest of its runs.
  @Test func anExperimentCannotStartFromTheOnRunOfARunningOne() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let input = """
      mpf.add_variable('x', {1, 2})
      mpf.run{role = 'a'}(function(x) return {v = x} end)
      n = 0
      df = mpf.run_experiment{n_runs = 1, on_run = function(d, row) n = n + 1 if n == 1 then print(pcall(mpf.run_experiment, {n_runs = 1})) end end}
      print('outer on_run calls', n)
      print('again', #mpf.run_experiment{n_runs = 1})

      """
    let result = try await piped(input, ["-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("false\tstdin:1: mpf.run_experiment cannot start while an experiment runs (from its on_run): run it once that one has ended"), "\(result.stdout)")
    #expect(result.stdout.contains("outer on_run calls\t2\n") && result.stdout.contains("again\t2\n"), "\(result.stdout)")
  }

  @Test func valuesAreShownBounded() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await piped("t = {} for i = 1, 100 do t[i] = i end\nt\nc = {} c.self = c\nc\n'a\\nb'\n", in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.first?.hasSuffix("40, ... (100 entries)}") == true, "\(lines)")
    #expect(lines.contains("{self = <cycle>}"))
    #expect(lines.contains("\"a\\nb\""))
  }

  /// df:plot at the prompt shows where the graph is, or the graph itself with term = true,
  /// never a `nil` after it.
  @Test func plotsAtThePromptShowThePathOrTheGraph() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let input = """
      mpf.add_variable('x', {1, 2})
      mpf.run{role = 'a'}(function(x) return {y = x} end)
      df = mpf.run_experiment{n_runs = 1}
      df:plot{y = 'y'}
      df:plot{y = 'y', term = true}
      'end'

      """
    let result = try await piped(input, in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.contains { $0.hasPrefix("\"mpf_experiments/") && $0.hasSuffix("/graphs/y.svg\"") }, "\(lines)")
    #expect(lines.contains { $0.contains("┤") }, "the terminal graph is shown")
    #expect(!lines.contains("nil"), "\(lines)")
    #expect(lines.last == "\"end\"")
  }

  /// An experiment's functions at the prompt show what they print and their commands' output
  /// under the worker's name (escaped: it comes from a node), as does the controller's own `ex`;
  /// the run's log still holds it all.
  @Test func workerAndCommandOutputIsShownAtThePrompt() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let input = """
      mpf.add_variable('i', {7})
      mpf.run{role = 'a'}(function(i) print('printed', i); ex 'echo ex-out; echo ex-err >&2; printf "\\033[2Jcleared"'; return {v = i} end)
      df = mpf.run_experiment{n_runs = 1}
      x = ex 'echo from-the-controller'

      """
    let result = try await piped(input, in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("[a] printed\t7\n[a] ex-out\n"), "\(result.stdout)")
    #expect(result.stderr.contains("[a] ex-err\n"), "\(result.stderr)")
    #expect(result.stdout.contains("cleared") && !result.stdout.contains("\u{1B}"), "\(result.stdout)")
    #expect(result.stdout.hasSuffix("from-the-controller\n"), "\(result.stdout)")
    let logs = FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).map { FileSystem.join(dir, "mpf_experiments/\($0)/logs/run-0000.log") }
    #expect(logs.contains { (try? FileSystem.readString($0))?.contains("printed\t7") == true }, "\(logs)")
  }

  @Test func aScriptLoadsUpToItsExperimentWhichThePromptRunsAgainAfterAChange() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let input = """
      df = mpf.run_experiment()
      print(#df, df.failed)
      mpf.add_variable('x', {1, 2})
      function double(v) return v * 2 end
      mpf.run{role = 'calculator'}(function(x) return {twice = double(x)} end)
      df2 = mpf.run_experiment{n_runs = 1}
      print(#df2, table.concat(df2:column('twice'), ' '))

      """
    let result = try await piped(input, [FileSystem.join(MPFCommand.repository, "examples/math.lua"), "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    // math.lua: x 1..4 × op 2 × 2 runs; then x = {1, 2} × op 2 × 1 run, with a function
    // declared at the prompt, which the workers replayed.
    #expect(result.stdout.contains("16\t0\n"))
    #expect(result.stdout.contains("4\t2 2 4 4\n"), "\(result.stdout)")
    let experiments = FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments"))
    #expect(experiments.count == 2)
    let prompts = experiments.map { FileSystem.join(dir, "mpf_experiments/\($0)/prompt.lua") }.filter(FileSystem.exists)
    #expect(prompts.count == 2)
    #expect(prompts.contains { (try? FileSystem.readString($0))?.contains("function double(v)") == true })
  }

  @Test func mpfOnRunsOnARolesWorkerKeptOpen() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let input = """
      function f() return 41 end
      mpf.on('server', function() return f() + 1 end)
      mpf.on('server', 'echo from-the-node')
      pid1 = mpf.on('server', function() return ex('echo $PPID')[1] end)
      pid2 = mpf.on('server', function() return ex('echo $PPID')[1] end)
      pid1 == pid2
      mpf.on('client', 'true')
      mpf.on('*', function(ctx) return ctx.role end)
      print(pcall(mpf.on, 'server', 'kill -9 $PPID'))
      mpf.on('server', function() return 'back' end)

      """
    let result = try await piped(input, in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count >= 6, "\(lines)")
    #expect(lines[0] == "42")
    #expect(lines[1] == "from-the-node")
    // The same worker answered both: it is kept between commands.
    #expect(lines[2] == "true")
    #expect(lines[3] == "{client = \"client\", server = \"server\"}")
    // Its worker killed: an error that says it starts again, and the next use does.
    #expect(lines[4].hasPrefix("false") && lines[4].contains("starts the worker again"), "\(lines[4])")
    #expect(lines[5] == "\"back\"")
  }

  @Test func terminalEditingHistoryCompletionAndCtrlC() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let marker = MPFCommand.uniqueMarker()
    let first = try await typed(
      """
      [["expect", "> $", 10],
       ["send", "answer = 41 + 1\\r"], ["expect", "> $", 5],
       ["send", "for i = 1, 2 do\\r"], ["expect", ">> $", 5], ["send", "print('it ' .. i) end\\r"], ["expect", "it 2", 5],
       ["send", "mpf.run_exp\\t"], ["expect", "eriment", 5], ["send", "\\u0015"],
       ["send", "while true do end\\r"], ["sleep", 0.4], ["send", "\\u0003"], ["expect", "interrupted", 5],
       ["send", "ex 'sleep 100'\\r"], ["sleep", 0.4], ["send", "\\u0003"], ["expect", "interrupted\\\\r?\\\\n> ", 5],
       ["send", "'still ' .. answer\\r"], ["expect", "still 42", 5],
       ["expect", "> $", 5], ["send", "\\u0004"]]
      """, in: dir, marker: marker)
    #expect(first.status == 0, "\(first.stdout)")
    #expect(first.stdout.contains("exit: 0"), "\(first.stdout)")
    #expect(!first.stdout.contains("sleep 100\r\n100"))
    #expect(MPFCommand.processes(marked: marker).isEmpty, "sleep 100 or a worker outlived the session")
    let history = try FileSystem.readString(FileSystem.join(dir, "state/mpf/history"))
    #expect(history.contains("answer\\040=\\04041\\040+\\0401"))
    // A second session: the up arrow brings back the last line of the first.
    let second = try await typed(
      """
      [["expect", "> $", 10], ["send", "\\u001b[A"], ["expect", "'still ' .. answer", 5], ["send", "\\r"],
       ["expect", "concatenate a nil value .global .answer.", 5], ["expect", "> $", 5], ["send", "\\u0004"]]
      """, in: dir)
    #expect(second.stdout.contains("exit: 0"), "\(second.stdout)")
  }

  /// Ctrl-C at the prompt clears the line and keeps the session, as docs/repl.md says: at `>`,
  /// with half a line typed, and at the `>>` of an unfinished chunk (which it drops).
  @Test func ctrlCAtThePromptClearsTheLineAndKeepsTheSession() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await typed(
      """
      [["expect", "> $", 10],
       ["send", "\\u0003"], ["expect", "> $", 5],
       ["send", "half = 'typed'"], ["send", "\\u0003"], ["expect", "> $", 5],
       ["send", "for i = 1, 2 do\\r"], ["expect", ">> $", 5], ["send", "\\u0003"], ["expect", "\\n> $", 5],
       ["send", "print('alive', half)\\r"], ["expect", "alive\\tnil", 5],
       ["expect", "> $", 5], ["send", "\\u0004"]]
      """, in: dir)
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("exit: 0"), "\(result.stdout)")
    #expect(!result.stdout.contains("unfinished chunk"), "\(result.stdout)")
  }

  /// Ctrl-C during `mpf.on` stops it, and every later `mpf.on` works (it said "no mpf.on
  /// function 3" for ever after).
  @Test func ctrlCDuringMpfOnLeavesLaterOnesWorking() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await typed(
      """
      [["expect", "> $", 10],
       ["send", "mpf.on('server', 'echo one')\\r"], ["expect", "one", 10], ["expect", "> $", 15],
       ["send", "mpf.on('server', 'sleep 30')\\r"], ["sleep", 0.8], ["send", "\\u0003"], ["expect", "interrupted", 10],
       ["expect", "> $", 10],
       ["send", "mpf.on('server', 'echo two')\\r"], ["expect", "two", 10], ["expect", "> $", 15],
       ["send", "mpf.on('server', function() return 'th' .. 'ree' end)\\r"], ["expect", "three", 10],
       ["expect", "> $", 15], ["send", "\\u0004"]]
      """, in: dir)
    #expect(result.stdout.contains("exit: 0"), "\(result.stdout)")
    #expect(!result.stdout.contains("no mpf.on function"), "\(result.stdout)")
  }

  /// A chunk longer than the history keeps (a pasted blob) runs, but is not kept: every later
  /// line would pay for it.
  @Test func aVeryLongChunkRunsButIsNotKeptInTheHistory() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let blob = String(repeating: "a", count: 6000)
    let result = try await typed(
      """
      [["expect", "> $", 10],
       ["send", "long = #'\(blob)'\\r"], ["expect", "> $", 20],
       ["send", "'kept ' .. long\\r"], ["expect", "kept 6000", 10],
       ["expect", "> $", 5], ["send", "\\u0004"]]
      """, in: dir)
    #expect(result.stdout.contains("exit: 0"), "\(result.stdout.suffix(300))")
    let history = try FileSystem.readString(FileSystem.join(dir, "state/mpf/history"))
    #expect(history.contains("kept"))
    #expect(!history.contains("aaaaaaaaaa"), "the 6000-byte chunk is in the history")
  }
}
