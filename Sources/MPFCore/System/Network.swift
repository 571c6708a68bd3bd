#if canImport(Glibc)
  internal import Glibc
#endif

// Name resolution and TCP connections: the one file that opens sockets.

/// Whether a TCP server accepts connections: `mpf.wait_port` asks it until one does.
package enum PortProbe {
  /// Tries one connection to `host`:`port` (any of its addresses), giving up on each after
  /// `timeout` seconds; the connection is closed at once.
  package static func accepts(host: String, port: Int, timeout: Double) -> Bool {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return false }
    defer { freeaddrinfo(first) }
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let address = entry {
      if connect(address.pointee, timeout: timeout) { return true }
      entry = address.pointee.ai_next
    }
    return false
  }

  private static func connect(_ address: addrinfo, timeout: Double) -> Bool {
    let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
    guard fd >= 0 else { return false }
    defer { _ = close(fd) }
    if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return true }
    guard errno == EINPROGRESS else { return false }
    var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
    guard poll(&poller, 1, Int32(max(1, timeout * 1000))) == 1 else { return false }
    var failure: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length) == 0 else { return false }
    return failure == 0
  }
}

extension ThisProcess {
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
