/// A worker that could not be started or reached, or that went away.
package struct TransportError: Error, Sendable, CustomStringConvertible {
  package var node: String
  package var message: String
  /// The role whose worker it was, when known.
  package var role: String?

  package init(node: String, _ message: String) {
    self.node = node
    self.message = message
  }

  package var description: String { "\(node): \(message)" }
}
