import Testing
import MPFSystem

/// Waits take any number a caller computed (a script's timeout times 1000, say): one past what
/// the C call can hold, or not a number at all, is bounded instead of trapping.
@Suite struct WaitBoundsTests {
  @Test func pollTakesAWaitLongerThanItCanSay() throws {
    let (read, write) = try Descriptor.pipe()
    defer { read.close(); write.close() }
    try write.write(Array("x".utf8))
    let events = try Descriptor.poll([(read, .readable)], milliseconds: Int.max)
    #expect(events?.first?.contains(.readable) == true)
  }

  @Test(arguments: [Double.nan, .infinity, -.infinity, 1e300, -5])
  func aPortProbeTakesAnyTimeout(timeout: Double) {
    // Port 1 on loopback: nothing listens there, so the answer comes at once, whatever the timeout.
    #expect(PortProbe.accepts(host: "127.0.0.1", port: 1, timeout: timeout) == false)
  }
}
