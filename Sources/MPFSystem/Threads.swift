/// Runs blocking work (waiting for an `ssh` command, say) on a thread of its own, so that it
/// never holds one of the cooperative pool's few threads while it waits.
package func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    startThread {
      do {
        continuation.resume(returning: try body())
      } catch {
        continuation.resume(throwing: error)
      }
    }
  }
}
