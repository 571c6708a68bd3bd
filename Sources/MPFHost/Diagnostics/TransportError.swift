/// A worker that could not be started or reached, or that went away.
public struct TransportError: Error, Sendable, CustomStringConvertible {
  public var node: String
  public var message: String

  public init(node: String, _ message: String) {
    self.node = node
    self.message = message
  }

  public var description: String { "\(node): \(message)" }
}
