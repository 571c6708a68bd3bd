import Testing
import MPFText

/// FIPS 180-4's test vectors, whole and fed in pieces of every size around a block.
@Suite struct SHA256Tests {
  @Test func knownAnswers() {
    #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func piecesGiveTheSameDigestAsTheWhole() {
    let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    let whole = SHA256.hex(data)
    for size in [1, 63, 64, 65, 128, 999] {
      var hasher = SHA256()
      var offset = 0
      while offset < data.count {
        hasher.update(data[offset..<min(offset + size, data.count)])
        offset += size
      }
      // A sequence that is not contiguous goes the byte-by-byte way.
      #expect(SHA256.hex(data.lazy.map { $0 }) == whole)
      #expect(hasher.hexDigest() == whole, "pieces of \(size)")
    }
  }
}
