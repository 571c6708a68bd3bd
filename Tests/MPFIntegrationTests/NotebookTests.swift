import Testing
import MPFCore
import MPFSystem

/// The `mpf` Jupyter kernel and the pandas reader (python/mpf_jupyter): notebooks executed with
/// the real kernel through nbclient, and `mpf_jupyter.load` against `mpf show`, by
/// python/mpf_jupyter/tests/check_notebooks.py in the checkout's .venv (`make jupyter`).
/// Without .venv the test says so and passes, except in CI (CI=true), where it fails.
@Suite struct NotebookTests {
  @Test(.timeLimit(.minutes(3))) func notebooksRunWithTheMpfKernel() async throws {
    let python = FileSystem.join(MPFCommand.repository, ".venv/bin/python")
    guard FileSystem.exists(python) else {
      let inCI = ThisProcess.environment("CI") == "true"
      #expect(!inCI, "CI: .venv is missing; .ci/run makes it with make jupyter")
      if !inCI { print("NotebookTests: skipped, no .venv in the checkout (make jupyter makes it)") }
      return
    }
    try await check(python, [])
  }

  /// An experiment over ssh on the test hosts from a notebook (`%cluster`): streamed output,
  /// the dataframe, and `load(long=True)` against `mpf show`.
  @Test(.timeLimit(.minutes(3)), .enabled(if: TestHosts.current != nil, "needs MPF_TEST_HOSTS (scripts/with-testhosts)"))
  func aNotebookRunsAnExperimentOverSSH() async throws {
    let python = FileSystem.join(MPFCommand.repository, ".venv/bin/python")
    guard FileSystem.exists(python) else {
      #expect(ThisProcess.environment("CI") != "true", "CI: .venv is missing; .ci/run makes it with make jupyter")
      return
    }
    try await check(python, ["--ssh"])
  }

  private func check(_ python: String, _ arguments: [String]) async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = FileSystem.join(MPFCommand.repository, "python/mpf_jupyter/tests/check_notebooks.py")
    let result = try await MPFCommand.runProgram(
      [python, script, dir] + arguments, in: dir, environment: ["MPF_BINARY=\(MPFCommand.binary)", "JUPYTER_PLATFORM_DIRS=1"])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr.suffix(3000))")
    #expect(result.stdout.contains("check_notebooks: every check passed"), "\(result.stdout)")
  }
}
