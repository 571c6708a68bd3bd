import Testing
import MPFCore
@testable import MPFGraphs

/// A line's x kept as a rule while each number is exactly the rule's, read back to the bit
/// whatever breaks it.
@Suite struct SteppedNumbersTests {
  @Test func givesBackEveryNumberToTheBit() {
    let cases: [[Double]] = [
      [], [7], [-0.0, 0.0], [0.0, -0.0], [1, 2, 3, 4], [0.1, 0.2, 0.3, 0.4, 0.5], [5, 3, 1, -1],
      [.infinity, .infinity], [.nan, .nan], [1, .nan], [1e308, 1.5e308, 2e308],
      Array(repeating: 2.5, count: 100), (0..<1000).map(Double.init) + [3],
    ]
    for given in cases {
      let numbers = SteppedNumbers(given)
      #expect(numbers.count == given.count)
      #expect(numbers.map(\.bitPattern) == given.map(\.bitPattern), "\(given.prefix(6))")
    }
  }

  @Test func aSweepInOrderIsARuleUntilANumberBreaksIt() {
    var sweep = SteppedNumbers()
    sweep.reserveCapacity(100_000)
    for x in 1...100_000 { sweep.append(Double(x)) }
    #expect(sweep.isRule && sweep[99_999] == 100_000)
    sweep.append(7)
    #expect(!sweep.isRule && Array(sweep) == (1...100_000).map(Double.init) + [7])
    #expect(!SteppedNumbers([0.0, -0.0]).isRule)
  }
}
