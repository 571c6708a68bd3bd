/// Base64 (RFC 4648, with padding): the hashes of report.html's Content-Security-Policy.
package enum Base64 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

  package static func encode(_ bytes: [UInt8]) -> String {
    var out = ""
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index < bytes.count {
      let chunk = bytes[index..<min(index + 3, bytes.count)]
      let word = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
      for position in 0..<4 {
        out.append(position <= chunk.count ? alphabet[Int(word >> (18 - 6 * UInt32(position)) & 63)] : "=")
      }
      index += 3
    }
    return out
  }
}
