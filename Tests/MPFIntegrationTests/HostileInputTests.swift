import Testing
import MPFCore
import MPFSystem
import MPFText
#if canImport(Glibc)
  import Glibc
#endif

/// Scripts that are not files of text, and seeds out of range (docs/security.md).
@Suite struct HostileInputTests {
  /// `mpf check /dev/zero` and `mpf /dev/zero` read without end.
  @Test(.timeLimit(.minutes(1))) func aScriptThatIsNotARegularFileIsRefused() async throws {
    let dir = MPFCommand.temporaryDirectory()
    // Refused on what it is, before a byte is read: a read without end would meet the time limit
    // (no timed assertion: a loaded machine took 10.4 s to start and end mpf three times).
    for command in [["check", "/dev/zero"], ["/dev/zero"], ["plan", "/dev/zero"]] {
      let result = try await MPFCommand.run(command, in: dir)
      #expect(result.status != 0)
      #expect(result.stderr.contains("/dev/zero is not a regular file (it is a device)"), "\(command): \(result.stderr)")
    }
  }

  @Test(.timeLimit(.minutes(1))) func aScriptOrModuleOver16MiBIsRefused() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let big = FileSystem.join(dir, "big.lua")
    try FileSystem.writeAtomically(big, Array(repeating: UInt8(ascii: "-"), count: (16 << 20) + 1))
    let check = try await MPFCommand.run(["check", big], in: dir)
    #expect(check.status != 0 && check.stderr.contains("big.lua is larger than 16 MiB, the most mpf reads of a Lua script"), "\(check.stderr)")
    // A module it requires: a link to /dev/zero beside the script.
    #expect(symlink("/dev/zero", FileSystem.join(dir, "zero.lua")) == 0)
    let script = FileSystem.join(dir, "uses.lua")
    try FileSystem.writeAtomically(script, Array("local z = require 'zero'\n".utf8))
    let run = try await MPFCommand.run([script, "-q"], in: dir)
    #expect(run.status != 0 && run.stderr.contains("zero.lua is not a regular file (it is a device)"), "\(run.stderr)")
  }

  /// `--seed -1` said "Missing value", `--seed=-1` did not say the range.
  @Test(arguments: [["--seed", "-1"], ["--seed=-1"], ["--seed", "18446744073709551616"], ["--seed", "x"]])
  func aSeedOutOfRangeIsRefusedNamingTheRange(seed: [String]) async throws {
    let dir = MPFCommand.temporaryDirectory()
    let math = FileSystem.join(MPFCommand.repository, "examples/math.lua")
    for command in [[math] + seed, ["plan", math] + seed] {
      let result = try await MPFCommand.run(command, in: dir)
      #expect(result.status != 0)
      #expect(result.stderr.contains("is not a whole number from 0 to 18446744073709551615"), "\(command): \(result.stderr)")
    }
  }

  /// `-n -1` said "Missing value for '-n'", as `--seed -1` did; every command taking -n says
  /// the range, and nothing runs.
  @Test(arguments: [["-n", "-1"], ["-n=-3"], ["--n-runs", "0"], ["-n", "2.5"], ["-n", "10000001"], ["-n", "x"]])
  func aRunCountOutOfRangeIsRefusedNamingTheRange(count: [String]) async throws {
    let dir = MPFCommand.temporaryDirectory()
    let math = FileSystem.join(MPFCommand.repository, "examples/math.lua")
    for command in [[math] + count, ["plan", math] + count, ["repl", math] + count] {
      let result = try await MPFCommand.run(command, in: dir)
      #expect(result.status == 64, "\(command): \(result.stderr)")
      #expect(result.stderr.contains("is not a whole number from 1 to 10000000"), "\(command): \(result.stderr)")
    }
    #expect(!FileSystem.exists(FileSystem.join(dir, "mpf_experiments")))
  }
}
