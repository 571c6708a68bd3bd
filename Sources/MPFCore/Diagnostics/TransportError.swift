/// A worker that could not be started or reached, or that went away.
package struct TransportError: Error, Sendable, CustomStringConvertible {
  package var node: String
  package var message: String
  /// The worker's name (its role, or `client2` on a role of several machines), when known.
  package var role: String?

  package init(node: String, _ message: String) {
    self.node = node
    self.message = message
  }

  package var description: String { "\(node): \(message)" }
}
