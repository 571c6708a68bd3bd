#if canImport(Glibc)
  internal import Glibc
#endif

/// This mpf process as experiment.yaml records it, to tell later whether it still runs.
package enum ThisProcess {
  package static var id: Int { Int(getpid()) }

  /// The machine's host name (`gethostname`), "" when it cannot be read.
  package static var hostName: String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Whether process `pid` of this machine still runs mpf (its command line names mpf).
  package static func mpfIsRunning(pid: Int) -> Bool {
    guard pid > 0, let command = try? FileSystem.read("/proc/\(pid)/cmdline") else { return false }
    let program = command.split(separator: 0).first.map { String(decoding: $0, as: UTF8.self) } ?? ""
    return FileSystem.basename(program).hasPrefix("mpf")
  }
}
