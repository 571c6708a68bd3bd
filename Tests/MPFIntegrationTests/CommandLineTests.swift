import Testing
import MPFCore
import MPFYAML
import MPFResults
import MPFCluster
import MPFWorker
import MPFHost
import MPFSystem
import MPFText


@Suite struct CommandLineTests {
  @Test func versionAndHelp() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let version = try await MPFCommand.run(["--version"], in: dir)
    #expect(version.status == 0)
    #expect(version.stdout == MPFVersion.current + "\n")
    let help = try await MPFCommand.run(["--help"], in: dir)
    #expect(help.status == 0)
    #expect(help.stdout.contains("mpf examples/math.lua"))
    #expect(help.stdout.contains("--n-runs"))
  }

  /// Every user error ends with file:line and what is wrong, never a crash.
  @Test(arguments: [
    ("syntax_error.lua", 1, "syntax_error.lua:2: error: ')' expected (to close '(' at line 1) near 'mpf'"),
    ("runtime_error.lua", 1, "runtime_error.lua:2: error: attempt to index a nil value (local 't')"),
    ("duplicate_variable.lua", 1, "duplicate_variable.lua:2: error: variable 'x' is already defined at duplicate_variable.lua:1"),
    ("unknown_parameter.lua", 1, "unknown_parameter.lua:2: error: parameter 'y' is neither ctx nor a variable (variables: x)"),
    ("non_table_return.lua", 1, "non_table_return.lua:2: error: the function returned a number; return a table of name = value, or nothing"),
    ("result_named_like_variable.lua", 1, "result_named_like_variable.lua:2: error: result 'x' has the name of a variable; rename the result"),
    ("unknown_role.lua", 3, "run 0 failed: unknown_role.lua:2: unknown role 'srv' (roles: a)"),
    ("function_raises.lua", 3, "run 1 (#1) failed: function_raises.lua:2: boom"),
    ("same_result_twice.lua", 1, "same_result_twice.lua:4: error: result 'v' is returned by two functions of the same run; rename one"),
    ("command_not_found.lua", 0, "command_not_found.lua:2: warning: command not found: 'iperf9' (exit code 127)"),
    ("missing.lua", 1, "error: cannot read the script: cannot open missing.lua: No such file or directory"),
  ])
  func userErrorsNameFileAndLine(script: String, status: Int32, line: String) async throws {
    let dir = MPFCommand.temporaryDirectory()
    if script != "missing.lua" {
      try FileSystem.writeAtomically(FileSystem.join(dir, script), try FileSystem.read(MPFCommand.fixture(script)))
    }
    let result = try await MPFCommand.run([script, "-q"], in: dir)
    #expect(result.status == status)
    #expect(result.stderr.lines().contains(line), "stderr was: \(result.stderr)")
    #expect(!result.stderr.contains("Fatal error"))
  }

  /// The whole of what each bad input prints is pinned in Golden/bad-inputs.stderr (the
  /// catalogue of docs/bad-inputs.md); `MPF_RECORD=1 swift test` records it again.
  @Test func badInputsPrintExactlyTheRecordedMessages() async throws {
    let dir = MPFCommand.temporaryDirectory()
    var transcript = ""
    for script in Self.badInputs {
      if script != "missing.lua" {
        try FileSystem.writeAtomically(FileSystem.join(dir, script), try FileSystem.read(MPFCommand.fixture(script)))
      }
      let result = try await MPFCommand.run([script, "-q", "--seed", "1"], in: dir)
      let stderr = MPFCommand.normalised(result.stderr)
      transcript += "$ mpf \(script) -q --seed 1\n\(stderr)[exit \(result.status)]\n\n"
    }
    // A cluster file that lacks the script's role, one with a bad port, and a folder that holds
    // no experiment.
    try FileSystem.writeAtomically(FileSystem.join(dir, "role.yaml"), Array("machines:\n  - {hostname: localhost, role: b}\n".utf8))
    try FileSystem.writeAtomically(FileSystem.join(dir, "port.yaml"), Array("machines:\n  - {hostname: h, role: a, port: 0}\n".utf8))
    try FileSystem.createDirectory(FileSystem.join(dir, "empty"))
    for arguments in [["unknown_role.lua", "-c", "role.yaml", "-q"], ["unknown_role.lua", "-c", "port.yaml"], ["show", "empty"], ["resume", "empty"]] {
      let result = try await MPFCommand.run(arguments, in: dir)
      transcript += "$ mpf \(arguments.joined(separator: " "))\n\(MPFCommand.normalised(result.stderr))[exit \(result.status)]\n\n"
    }
    let golden = FileSystem.join(FileSystem.dirname(#filePath), "Golden/bad-inputs.stderr")
    if MPFCommand.recording {
      try FileSystem.writeAtomically(golden, Array(transcript.utf8))
    }
    #expect(transcript == (try FileSystem.readString(golden)))
  }

  /// Misuses of the API under pcall, in a helper, two calls deep and in a module the script
  /// requires: every message names the user's file and line (one function finds it: util.raise
  /// in lua/stdlib, clua_userwhere for host errors), never a place in mpf's library.
  @Test func everyMisuseIsReportedAtTheUsersLine() async throws {
    let folder = MPFCommand.fixture("user_lines")
    let result = try await MPFCommand.run(["main.lua", "-q"], in: folder)
    #expect(result.status == 1)
    let lines = result.stdout.lines()
    let expected = [
      "main.lua:7: mpf.run: unknown option 'dely'", "main.lua:4: mpf.run: unknown option 'dely'",
      "main.lua:4: mpf.run: unknown option 'dely'", "main.lua:10: variable 'x' has no values",
      "main.lua:11: mpf.range expects numbers", "./helper.lua:4: mpf.run: unknown option 'dely'",
      "main.lua:13: mpf.load expects an experiment directory or id", "main.lua:14: mpf.load: ",
    ]
    for (line, prefix) in zip(lines, expected) { #expect(line.hasPrefix(prefix), "\(line) does not start with \(prefix)") }
    #expect(lines.count >= expected.count, "\(result.stdout)")
    #expect(result.stderr.hasPrefix("main.lua:15: error: mpf.run: unknown option 'dely'"), "\(result.stderr)")
    for text in [result.stdout, result.stderr] {
      #expect(!text.contains("mpf.experiment:") && !text.contains("mpf.declare:") && !text.contains("mpf.dataframe:"), "\(text)")
    }
  }

  /// No message of the catalogue of bad inputs points inside mpf's library.
  @Test func noRecordedMessagePointsInsideMpfsLibrary() throws {
    let golden = try FileSystem.readString(FileSystem.join(FileSystem.dirname(#filePath), "Golden/bad-inputs.stderr"))
    for chunk in ["mpf", "mpf.declare", "mpf.experiment", "mpf.call", "mpf.shell", "mpf.dataframe", "mpf.software", "mpf.space", "mpf.helpers"] {
      let pattern = try Regex("(^|[^\\w./])" + chunk.replacingAll(".", with: "\\.") + ":[0-9]")
      #expect(golden.firstMatch(of: pattern) == nil, "\(chunk)")
    }
  }

  /// `mpf --help` and each command's help read whole in an 80-column terminal: no sentence is
  /// cut by the wrapping (what is shown at 80 columns is what is shown at 200).
  @Test(arguments: ["", "run", "resume", "show", "list", "plot", "report", "compare", "repl", "check", "plan", "types"])
  func helpIsNotWrappedMidSentenceAt80Columns(command: String) async throws {
    let dir = MPFCommand.temporaryDirectory()
    func help(_ columns: Int) async throws -> String {
      let arguments = (command.isEmpty ? [] : [command]) + ["--help"]
      let quoted = ([MPFCommand.binary] + arguments).map(ShellQuote.quote).joined(separator: " ")
      let result = try await MPFCommand.runProgram(["sh", "-c", "COLUMNS=\(columns) \(quoted)"], in: dir)
      // The USAGE line and the options are argument-parser's own layout.
      return String(result.stdout.split(separator: "USAGE:", maxSplits: 1).first ?? "")
    }
    // Each paragraph is filled: a line is followed by one of the same paragraph only when the
    // next word would not have fit (a hard break at ~95 columns made ragged lines at 80).
    let lines = try await help(80).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for (line, next) in zip(lines, lines.dropFirst()) where !line.isEmpty && !next.isEmpty && next.first != " " {
      #expect(line.count + 1 + (next.split(separator: " ").first?.count ?? 0) >= 80, "'\(line)' is cut before '\(next)'")
    }
    #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines)")
  }

  static let badInputs = [
    "syntax_error.lua", "runtime_error.lua", "duplicate_variable.lua", "unknown_parameter.lua", "non_table_return.lua",
    "result_named_like_variable.lua", "unknown_role.lua", "function_raises.lua", "same_result_twice.lua",
    "command_not_found.lua", "reserved_result.lua", "pairs_result.lua", "missing.lua",
  ]

  @Test func listShowsTheStoredExperimentsNewestFirst() async throws {
    let dir = MPFCommand.temporaryDirectory()
    // Before any run: nothing to list yet, said, not an error.
    let fresh = try await MPFCommand.run(["list"], in: dir)
    #expect(fresh.status == 0 && fresh.stderr.contains("no experiment here yet"), "\(fresh.stderr)")
    let math = FileSystem.join(MPFCommand.repository, "examples/math.lua")
    #expect(try await MPFCommand.run([math, "-q", "-n", "1", "--", "100"], in: dir).status == 0)
    await MPFCommand.pause(1.1)  // start times are stored to the second
    #expect(try await MPFCommand.run([MPFCommand.fixture("stop_on_error.lua"), "-q"], in: dir).status == 3)
    let result = try await MPFCommand.run(["list"], in: dir)
    #expect(result.status == 0)
    let lines = result.stdout.lines()
    #expect(lines.count == 3)
    #expect(lines[0].hasPrefix("id  ") && lines[0].hasSuffix("runs  failed  status"))
    #expect(lines[1].contains("stop_on_error.lua") && lines[1].hasSuffix("1  stopped"))
    #expect(lines[2].contains("math.lua 100") && lines[2].contains("8/8") && lines[2].hasSuffix("0  completed"))
    try FileSystem.createDirectory(FileSystem.join(dir, "nothing-here"))
    let empty = try await MPFCommand.run(["list", "nothing-here"], in: dir)
    #expect(empty.stderr == "mpf list: no experiment under nothing-here\n")
    // A folder that is not there, or a file, is not a folder without experiments.
    let missing = try await MPFCommand.run(["list", "/nonexistent"], in: dir)
    #expect(missing.status == 1 && missing.stderr.hasPrefix("mpf list: /nonexistent does not exist: give the folder of experiment directories"), "\(missing.stderr)")
    let file = try await MPFCommand.run(["list", MPFCommand.fixture("stop_on_error.lua")], in: dir)
    #expect(file.status == 1 && file.stderr.contains("is not a folder"), "\(file.stderr)")
  }

  /// Adaptive repetitions and searches plan no fixed count: `mpf list` shows the runs done and
  /// the rule's bound or the variable searched (it showed 12/6 and 23/3).
  @Test func listShowsAdaptiveAndSearchExperimentsByWhatBoundsThem() async throws {
    let dir = MPFCommand.temporaryDirectory()
    #expect(try await MPFCommand.run([MPFCommand.fixture("adaptive.lua"), "-q"], in: dir).status == 0)
    #expect(try await MPFCommand.run([MPFCommand.fixture("search.lua"), "-q"], in: dir).status == 0)
    let lines = try await MPFCommand.run(["list"], in: dir).stdout.lines()
    #expect(lines.contains { $0.contains("adaptive.lua") && $0.contains("12 (adaptive, ≤ 18)") }, "\(lines)")
    #expect(lines.contains { $0.contains("search.lua") && $0.contains("23 (search on rate)") }, "\(lines)")
  }

  /// Experiments that ended before any run (a deploy that failed) do not pile up in `mpf list`:
  /// they are counted, and `--all` shows them.
  @Test func listCountsExperimentsThatEndedBeforeAnyRun() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = FileSystem.join(dir, "d.lua")
    try FileSystem.writeAtomically(script, Array("mpf.software{name = 'x', role = 'a', dir = '.', build = 'false'}\nmpf.run{role = 'a'}(function() end)\nmpf.run_experiment{n_runs = 1}\n".utf8))
    for _ in 1...2 { #expect(try await MPFCommand.run([script, "-q"], in: dir).status == 1) }
    #expect(try await MPFCommand.run([FileSystem.join(MPFCommand.repository, "examples/math.lua"), "-q", "-n", "1"], in: dir).status == 0)
    let list = try await MPFCommand.run(["list"], in: dir).stdout.lines()
    #expect(list.count == 3 && list[1].contains("math.lua"), "\(list)")
    #expect(list.last == "(2 more ended before any run, a deploy that failed say: mpf list --all shows them)")
    let all = try await MPFCommand.run(["list", "--all"], in: dir).stdout.lines()
    #expect(all.count == 4 && all.filter { $0.contains("d.lua") && $0.hasSuffix("stopped") }.count == 2, "\(all)")
  }

  @Test func scriptArgumentsSeedAndOutputFolder() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let math = FileSystem.join(MPFCommand.repository, "examples/math.lua")
    let first = try await MPFCommand.run([math, "-q", "--seed", "5", "-n", "1", "--out", "a", "--", "100"], in: dir)
    let second = try await MPFCommand.run([math, "-q", "--seed", "5", "-n", "1", "--out", "b", "--", "100"], in: dir)
    #expect(first.status == 0 && second.status == 0)
    #expect(first.stdout.lines().contains("1  x + scale           0    101   8 KiB    101"))
    func order(_ parent: String) throws -> [LuaValue] {
      let folder = FileSystem.join(dir, parent)
      let id = try #require(FileSystem.directoryEntries(folder).first)
      let doc = try #require(try YAMLParser.parse(try FileSystem.readString(FileSystem.join(folder, "\(id)/experiment.yaml"))))
      #expect(doc["seed"]?.intValue == 5)
      #expect(doc["script"]?["arguments"]?.luaValue == .list(["100"]))
      return doc["runs"]?.items.map { $0["values"]?.luaValue ?? .nil } ?? []
    }
    let a = try order("a")
    #expect(a.count == 8)
    #expect(a == (try order("b")))
  }
}
