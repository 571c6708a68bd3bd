/// A function that a script registered with `mpf.run{...}` or `mpf.init{...}`.
///
/// Controller and worker load the same script, so `index` names the same function on both.
package struct RoleFunction: Sendable, Hashable {
  package enum Kind: String, Sendable, Hashable {
    case run
    /// `mpf.init`: once per worker, before the first run.
    case once = "init"
  }

  /// Where the function runs.
  package enum Target: Sendable, Hashable {
    /// On this role's node.
    case role(String)
    /// On the role named by this variable's value in each run (`role = 'server_role'`).
    case roleVariable(String)
    /// On each end of this link: every role with an interface whose `link` is this name,
    /// with `ctx.interface` set to that interface.
    case link(String)
  }

  /// 1-based registration index (the worker's `functions[index]`).
  package var index: Int
  package var kind: Kind
  package var target: Target
  /// Seconds to wait, from the start of its stage, before calling it.
  package var delay: Double
  /// Runs concurrently with the functions that follow it, up to the next non-parallel one.
  package var parallel: Bool
  package var parameters: [String]
  package var location: SourceLocation
  /// Seconds a call may take before the worker ends it (nil: no limit).
  package var timeout: Double?
  /// How many times a failed call is tried again within its run.
  package var retries = 0
  /// For a role with several machines: how each result's values fold into its column, by
  /// result name ("" for every result without its own); empty: only `result@node` columns.
  package var aggregates: [String: NodeAggregate] = [:]

  /// How `result` folds across a role's machines, if it does.
  package func aggregate(of result: String) -> NodeAggregate? { aggregates[result] ?? aggregates[""] }

  package init(
    index: Int, kind: Kind = .run, role: String, delay: Double = 0, parallel: Bool = false, parameters: [String] = [],
    location: SourceLocation
  ) {
    self.init(index: index, kind: kind, target: .role(role), delay: delay, parallel: parallel, parameters: parameters, location: location)
  }

  package init(
    index: Int, kind: Kind = .run, target: Target, delay: Double = 0, parallel: Bool = false, parameters: [String] = [],
    location: SourceLocation
  ) {
    self.index = index
    self.kind = kind
    self.target = target
    self.delay = delay
    self.parallel = parallel
    self.parameters = parameters
    self.location = location
  }

  /// The fixed role, when the target is one.
  package var fixedRole: String? {
    if case .role(let role) = target { return role }
    return nil
  }

  /// How the target reads in messages and the results file: `server`, `$server_role`, `link l1`.
  package var targetDescription: String {
    switch target {
    case .role(let role): role
    case .roleVariable(let variable): "$" + variable
    case .link(let link): "link " + link
    }
  }
}
