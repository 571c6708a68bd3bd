import Testing
import MPFCore
import MPFWorker
import MPFSystem
import MPFText
#if canImport(Glibc)
  import Glibc
#endif

/// What docs/security.md promises, each checked on the built binary.
@Suite struct SecurityTests {
  /// The socket inodes a process holds open.
  func socketInodes(of pid: pid_t) -> Set<String> {
    let fds = "/proc/\(pid)/fd"
    return Set(FileSystem.directoryEntries(fds).compactMap { fd -> String? in
      var buffer = [CChar](repeating: 0, count: 256)
      let n = readlink(FileSystem.join(fds, fd), &buffer, buffer.count - 1)
      guard n > 0 else { return nil }
      let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      guard target.hasPrefix("socket:[") else { return nil }
      return String(target.dropFirst(8).dropLast())
    })
  }

  /// Inodes of listening sockets: TCP/UDP (state 0A) and Unix ones that accept connections.
  func listeningInodes() -> Set<String> {
    var inodes: Set<String> = []
    for table in ["tcp", "tcp6"] {
      for line in ((try? FileSystem.readString("/proc/net/\(table)")) ?? "").lines().dropFirst() {
        let fields = line.split(separator: " ")
        if fields.count > 9, fields[3] == "0A" { inodes.insert(String(fields[9])) }
      }
    }
    for line in ((try? FileSystem.readString("/proc/net/unix")) ?? "").lines().dropFirst() {
      let fields = line.split(separator: " ")
      if fields.count > 6, fields[3] == "00010000" { inodes.insert(String(fields[6])) }
    }
    return inodes
  }

  @Test(.timeLimit(.minutes(1))) func noProcessOfMpfListensOnASocket() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let marker = MPFCommand.uniqueMarker()
    let process = try MPFCommand.start([MPFCommand.fixture("slow.lua"), "-q", "--seed", "3"], in: dir, marker: marker)
    await MPFCommand.waitForRuns(2, in: dir)
    let processes = MPFCommand.processes(marked: marker)
    #expect(processes.count >= 2, "the controller and its workers")
    let listening = listeningInodes()
    for pid in processes {
      #expect(socketInodes(of: pid).isDisjoint(with: listening), "process \(pid) listens on a socket")
    }
    kill(process.pid, SIGTERM)
    _ = await MPFCommand.wait(process.pid)
  }

  @Test func resultsKeepNoEnvironmentAndFollowTheUmask() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let secret = "s3cr3t-\(MPFCommand.uniqueMarker())"
    let script = FileSystem.join(MPFCommand.repository, "examples/math.lua")
    let result = try await MPFCommand.runProgram(
      ["sh", "-c", "umask 077 && exec \(ShellQuote.quote(MPFCommand.binary)) \(ShellQuote.quote(script)) -q"], in: dir,
      environment: ["MPF_TEST_SECRET=\(secret)"])
    #expect(result.status == 0, "\(result.stderr)")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let entries = FileSystem.entries(under: experiment)
    #expect(entries.files.count > 5)
    for file in entries.files {
      let path = FileSystem.join(experiment, file.path)
      #expect(!((try? FileSystem.readString(path)) ?? "").contains(secret), "\(file.path) holds the environment")
      var info = stat()
      stat(path, &info)
      #expect(info.st_mode & 0o077 == 0, "\(file.path) is readable by others under umask 077")
    }
  }
}
