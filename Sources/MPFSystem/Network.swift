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

  /// Whether a TCP socket listens on `port` at `host` when `host` is an address of this
  /// machine (of its network namespace), read from /proc/net/tcp and tcp6 without connecting:
  /// a server that takes one connection (`iperf3 -s -1`) keeps it for its client. nil when
  /// `host` is not one of this machine's addresses (only a connection can tell then).
  package static func listening(host: String, port: Int) -> Bool? {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, "0", &hints, &list) == 0, let first = list else { return nil }
    defer { freeaddrinfo(first) }
    var wanted: Set<String> = []
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let address = entry {
      if let text = procText(address.pointee), isLocal(address.pointee) { wanted.insert(text) }
      entry = address.pointee.ai_next
    }
    guard !wanted.isEmpty else { return nil }
    let wildcard: Set<String> = [String(repeating: "0", count: 8), String(repeating: "0", count: 32)]
    for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
      guard let text = try? FileSystem.readString(file) else { continue }
      for line in text.split(separator: "\n").dropFirst() {
        let fields = line.split(separator: " ")
        guard fields.count > 3, fields[3] == "0A" else { continue }  // 0A: LISTEN
        let local = fields[1].split(separator: ":")
        guard local.count == 2, Int(local[1], radix: 16) == port else { continue }
        let address = String(local[0])
        if wanted.contains(address) || wildcard.contains(address) { return true }
        // An IPv4 address reached through an IPv6 socket: ::ffff:a.b.c.d.
        if address.count == 32, address.hasPrefix("0000000000000000FFFF0000"), wanted.contains(String(address.suffix(8))) { return true }
      }
    }
    return false
  }

  /// Whether `address` belongs to this machine: a socket can be bound to it.
  private static func isLocal(_ address: addrinfo) -> Bool {
    let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
    guard fd >= 0 else { return false }
    defer { _ = close(fd) }
    return bind(fd, address.ai_addr, address.ai_addrlen) == 0
  }

  /// The address as /proc/net/tcp writes it: each 32-bit word of it in hex, as the machine stores it.
  private static func procText(_ address: addrinfo) -> String? {
    func hex(_ word: UInt32) -> String {
      let digits = String(word, radix: 16, uppercase: true)
      return String(repeating: "0", count: 8 - digits.count) + digits
    }
    if address.ai_family == AF_INET {
      return address.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { hex($0.pointee.sin_addr.s_addr) }
    }
    if address.ai_family == AF_INET6 {
      return address.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
        withUnsafeBytes(of: pointer.pointee.sin6_addr) { bytes in
          (0..<4).map { hex(bytes.load(fromByteOffset: $0 * 4, as: UInt32.self)) }.joined()
        }
      }
    }
    return nil
  }

  private static func connect(_ address: addrinfo, timeout: Double) -> Bool {
    let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
    guard fd >= 0 else { return false }
    defer { _ = close(fd) }
    if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return true }
    guard errno == EINPROGRESS else { return false }
    var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
    let milliseconds = NumberBounds.clampedInt(timeout * 1000, to: 1...Int(Int32.max), rounding: .up, nan: 1)
    guard poll(&poller, 1, Int32(milliseconds)) == 1 else { return false }
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

  /// Whether `text` is an IPv4 or IPv6 address as written (inet_pton: no name, no port, no
  /// other character).
  package static func isIPAddress(_ text: String) -> Bool {
    var buffer = [UInt8](repeating: 0, count: 16)
    return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
  }
}
