/// A worker that could not be started or reached, or that went away.
public struct TransportError: Error, Sendable, CustomStringConvertible {
  public var node: String
  public var message: String
  /// The role whose worker it was, when known.
  public var role: String?

  public init(node: String, _ message: String) {
    self.node = node
    self.message = message
  }

  public var description: String { "\(node): \(message)" }
}
