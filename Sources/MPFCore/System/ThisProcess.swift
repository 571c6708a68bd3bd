#if canImport(Glibc)
  internal import Glibc
#endif
internal import CSystem

/// This mpf process, as the lock of an experiment it writes names it.
package enum ThisProcess {
  package static var id: Int { Int(getpid()) }

  /// Makes memory freed by the process go back to the system rather than stay in its heap:
  /// one malloc arena (the controller's few threads share it; one arena per thread kept
  /// freed blocks of each), large blocks (from 128 KiB) mapped on their own and unmapped when
  /// freed, the heap's top trimmed past 128 KiB. The peak memory of a 100 000-run experiment
  /// drops by a third (docs/performance.md). Call it first, before any thread starts.
  package static func returnFreedMemory() {
    csystem_return_freed_memory()
  }

  /// The machine's host name (`gethostname`), "" when it cannot be read.
  package static var hostName: String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The environment variables, as `NAME: value`.
  package static var environment: [String: String] {
    var result: [String: String] = [:]
    var entry = environ
    while let pointer = entry.pointee {
      let text = String(cString: pointer)
      if let equals = text.firstIndex(of: "=") { result[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
      entry += 1
    }
    return result
  }

  /// The first IPv4 (else IPv6) address `host` resolves to on this machine, nil when it does not.
  package static func address(of host: String) -> String? {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &list) == 0, let list else { return nil }
    defer { freeaddrinfo(list) }
    var best: String?
    var item: UnsafeMutablePointer<addrinfo>? = list
    while let current = item {
      var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
      if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if current.pointee.ai_family == AF_INET { return text }
        if best == nil { best = text }
      }
      item = current.pointee.ai_next
    }
    return best
  }
}
