@testable import MPFHost

/// The path of a file under Tests/MPFHostTests/Fixtures.
func fixture(_ name: String) -> String {
  let here = FileSystem.dirname(#filePath)
  return FileSystem.join(FileSystem.join(here, "Fixtures"), name)
}

/// A fresh empty directory under /tmp.
func temporaryDirectory() -> String {
  var template = Array("/tmp/mpf-test-XXXXXX".utf8CString)
  let made = template.withUnsafeMutableBufferPointer { buffer in
    buffer.baseAddress.flatMap { mkdtempPath($0) }
  }
  return made ?? "/tmp"
}

#if canImport(Glibc)
  import Glibc
  private func mkdtempPath(_ p: UnsafeMutablePointer<CChar>) -> String? { mkdtemp(p).map { String(cString: $0) } }
#endif

/// Loads `source` as a controller script whose ex runs in a real shell; returns the globals
/// the script left behind through `result`.
func runController(_ source: String, name: String = "test.lua") throws -> ExperimentScript {
  let shell = Shell()
  let script = try ExperimentScript(
    mode: .controller, arguments: ["a1", "a2"],
    primitives: ScriptPrimitives(exec: { command, background, location in
      let record = background ? shell.start(command, location: location) : shell.run(command, location: location)
      return .record([
        "lines": .list(record.stdout.lines().map { .string($0) }),
        "code": record.exitCode.map { .integer(Int64($0)) } ?? .nil,
        "stderr": .string(record.stderr),
      ])
    }))
  try script.runAsController(path: name, source: source)
  return script
}
