/// A function that a script registered with `mpf.run{...}` or `mpf.init{...}`.
///
/// Controller and worker load the same script, so `index` names the same function on both.
public struct RoleFunction: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    case run
    /// `mpf.init`: once per worker, before the first run.
    case once = "init"
  }

  /// 1-based registration index (the worker's `functions[index]`).
  public var index: Int
  public var kind: Kind
  public var role: String
  /// Seconds to wait, from the start of its stage, before calling it.
  public var delay: Double
  /// Runs concurrently with the functions that follow it, up to the next non-parallel one.
  public var parallel: Bool
  public var parameters: [String]
  public var location: SourceLocation

  public init(
    index: Int, kind: Kind = .run, role: String, delay: Double = 0, parallel: Bool = false,
    parameters: [String] = [], location: SourceLocation
  ) {
    self.index = index
    self.kind = kind
    self.role = role
    self.delay = delay
    self.parallel = parallel
    self.parameters = parameters
    self.location = location
  }
}
