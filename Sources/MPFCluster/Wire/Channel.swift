internal import MPFCore
/// A request/response stream to one `mpf worker`.
package protocol Channel: Sendable {
  /// Sends a request and waits for the worker's answer to it.
  ///
  /// - Throws: `TransportError` when the worker is gone or answers garbage.
  func send(_ request: WorkerRequest) async throws -> WorkerResponse

  /// Closes the stream (the worker then ends its processes and exits) and waits for the
  /// worker process to go, killing it after `grace` seconds.
  func close(grace: Double) async

  /// Where the worker's `output` events go (its lines as they come), from the thread that
  /// reads the worker; a channel without events ignores it.
  func onOutput(_ handler: @escaping @Sendable (_ line: String, _ isError: Bool) -> Void)
}

extension Channel {
  package func onOutput(_ handler: @escaping @Sendable (_ line: String, _ isError: Bool) -> Void) {}
}
