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
}
