import Testing
import MPFCore
import MPFSystem
import MPFText

/// Numbers that are not finite (docs/security.md, "Numbers that are not finite"): every
/// command that shows or draws results shows them as inf/nan, graphs leave them out and say
/// how many, and counts read from experiment.yaml are bounded as a script's are.
@Suite struct NumberTests {
  /// The fixture's experiment, run once per test directory.
  func experiment(in dir: String) async throws -> (run: CommandResult, directory: String) {
    let run = try await MPFCommand.run([MPFCommand.fixture("nonfinite.lua"), "-q"], in: dir)
    return (run, try #require(MPFCommand.experimentDirectory(in: dir)))
  }

  @Test(.timeLimit(.minutes(2))) func infinitiesAndNaNAreShownAndLeftOutOfGraphs() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let (run, experiment) = try await experiment(in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    for text in [" inf", "-inf", " nan", "1e+308"] { #expect(run.stdout.contains(text), "\(text) in \(run.stdout)") }
    #expect(!run.stdout.contains("-nan"))
    // 2 runs each of huge, neg and nan, for both n: 12 runs whose rate is not finite.
    #expect(run.stdout.contains("12 values not finite (inf or nan) left out"), "\(run.stdout)")
    let show = try await MPFCommand.run(["show", experiment], in: dir)
    #expect(show.status == 0, "\(show.stderr)")
    #expect(show.stdout.contains("-inf") && show.stdout.contains(" nan"), "\(show.stdout)")
    let plot = try await MPFCommand.run(["plot", "--term", experiment], in: dir)
    #expect(plot.status == 0, "\(plot.stderr)")
    #expect(plot.stdout.contains("not finite (inf or nan) left out"), "\(plot.stdout)")
    let report = try await MPFCommand.run(["report", experiment], in: dir)
    #expect(report.status == 0, "\(report.stderr)")
    let svg = try FileSystem.readString(FileSystem.join(experiment, "graphs/rate.svg"))
    #expect(svg.contains("not finite (inf or nan) left out"))
    #expect(!svg.contains("NaN") && !svg.contains("inf\""))
  }

  @Test(.timeLimit(.minutes(2))) func comparingExperimentsWithInfinitiesWorks() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let first = try await experiment(in: dir).directory
    let again = try await MPFCommand.run([MPFCommand.fixture("nonfinite.lua"), "-q"], in: dir)
    #expect(again.status == 0, "\(again.stderr)")
    let second = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).map {
      FileSystem.join(FileSystem.join(dir, "mpf_experiments"), $0)
    }.first { $0 != first })
    let compare = try await MPFCommand.run(["compare", first, second], in: dir)
    #expect(compare.status == 0, "\(compare.stderr)")
    // Values at the top of the range keep a finite mean (the sum of two 1e308 was inf), and
    // the points with no finite value are said as such.
    #expect(compare.stdout.contains("big · 1   1e+308 ± 0  1e+308 ± 0"), "\(compare.stdout)")
    for point in ["huge · 1", "neg · 2", "nan · 1"] {
      #expect(compare.stdout.contains("no finite value in A or B: \(point)"), "\(compare.stdout)")
    }
  }

  /// An edited `n_runs: 4000000000` made a resume plan (and allocate) 4 billion runs.
  @Test(.timeLimit(.minutes(1))) func storedRunCountsAreBoundedAsScriptsAre() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let experiment = try await experiment(in: dir).directory
    let file = FileSystem.join(experiment, "experiment.yaml")
    let original = try FileSystem.readString(file)
    for (stored, expected) in [
      ("n_runs: 4000000000", "n_runs '4000000000' is not a whole number from 1 to 10000000"),
      ("n_runs: 4e9", "n_runs '4e9' is not a whole number from 1 to 10000000"),
      ("n_runs: -1", "n_runs '-1' is not a whole number"),
      ("n_runs: 5000000", "n_runs 5000000 times the variables' values is over 10000000 runs"),
    ] {
      try FileSystem.writeAtomically(file, Array((original.lines().map { $0.hasPrefix("n_runs:") ? stored : $0 }.joined(separator: "\n") + "\n").utf8))
      for command in [["show", experiment], ["resume", experiment]] {
        let start = Clock.monotonic()
        let result = try await MPFCommand.run(command, in: dir)
        #expect(result.status != 0 && result.stderr.contains("experiment.yaml:"), "\(stored): \(result.stderr)")
        #expect(result.stderr.contains(expected), "\(command[0]) \(stored): \(result.stderr)")
        // Refused from the header, not after planning billions of runs (a bound for a loaded machine).
        #expect(Clock.monotonic() - start < 20)
      }
    }
  }

  /// A damaged `seed:` was read as 0, and `mpf resume` then rewrote `seed: 0`.
  @Test(.timeLimit(.minutes(1))) func damagedSeedsAreRefusedAtTheirLine() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let experiment = try await experiment(in: dir).directory
    let file = FileSystem.join(experiment, "experiment.yaml")
    let original = try FileSystem.readString(file)
    #expect(original.lines().contains { $0.hasPrefix("seed:") })
    for damaged in ["abc", "-5", "1.5", "99999999999999999999999", "[1]", "18446744073709551616"] {
      try FileSystem.writeAtomically(file, Array((original.lines().map { $0.hasPrefix("seed:") ? "seed: \(damaged)" : $0 }.joined(separator: "\n") + "\n").utf8))
      for command in [["show", experiment], ["resume", experiment]] {
        let result = try await MPFCommand.run(command, in: dir)
        #expect(result.status != 0 && result.stderr.contains("experiment.yaml:"), "\(damaged): \(result.stderr)")
        #expect(result.stderr.contains("is not a whole number from 0 to 18446744073709551615"), "\(command[0]) \(damaged): \(result.stderr)")
        #expect(result.stderr.contains("edited or damaged"))
      }
      #expect(try FileSystem.readString(file).contains("seed: \(damaged)"), "resume rewrote the seed \(damaged)")
    }
  }
}
