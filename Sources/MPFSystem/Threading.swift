#if canImport(Glibc)
  internal import Glibc
#endif

/// A value handed from one thread to another that waits for it (pthread mutex + condition).
///
/// Used where a plain thread (the one running the controller's Lua state) must wait for async
/// work: that thread is not part of Swift's cooperative pool, so blocking it starves nothing.
package final class Handoff<Value: Sendable>: @unchecked Sendable {
  // @unchecked: `value` is read and written only while holding `mutex`.
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var queue: [Value] = []

  package init() {
    // Default attributes: these fail only without memory, where nothing else can go on.
    precondition(pthread_mutex_init(mutex, nil) == 0 && pthread_cond_init(condition, nil) == 0, "cannot make a mutex")
  }

  deinit {
    pthread_mutex_destroy(mutex)
    pthread_cond_destroy(condition)
    mutex.deallocate()
    condition.deallocate()
  }

  package func put(_ value: Value) {
    pthread_mutex_lock(mutex)
    queue.append(value)
    pthread_cond_signal(condition)
    pthread_mutex_unlock(mutex)
  }

  /// Blocks until a value is there and takes it (first in, first out).
  package func take() -> Value {
    pthread_mutex_lock(mutex)
    while queue.isEmpty { pthread_cond_wait(condition, mutex) }
    let value = queue.removeFirst()
    pthread_mutex_unlock(mutex)
    return value
  }
}

/// Starts a detached POSIX thread running `body` (for blocking reads that must not hold one of
/// the cooperative pool's threads).
package func startThread(_ body: @escaping @Sendable () -> Void) {
  final class Box: @unchecked Sendable {
    // @unchecked: immutable after init, handed to exactly one thread.
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
  let box = Unmanaged.passRetained(Box(body)).toOpaque()
  var thread = pthread_t()
  let status = pthread_create(&thread, nil, { raw in
    guard let raw else { return nil }
    let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
    box.body()
    return nil
  }, box)
  if status == 0 {
    pthread_detach(thread)
  } else {
    Unmanaged<Box>.fromOpaque(box).takeRetainedValue().body()
  }
}

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
