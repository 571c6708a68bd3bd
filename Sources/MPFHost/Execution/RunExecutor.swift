package import MPFCore
package import MPFCluster
package import MPFSystem
package import MPFText

/// Does one run: its stages in order, the calls within a stage concurrently (each after its
/// delay, retried as the function says), then the end of the run on every worker it used.
package struct RunExecutor: Sendable {
  package var experiment: Experiment
  package var cluster: Cluster
  package var observer: any RunObserver
  /// The folders of the software deployed (`ctx.software`).
  package var deployment = Deployment()
  /// Changes when the cluster does (a spare took a place): workers are sent `ctx.roles` again.
  package var rolesVersion = 0
  /// Computed once per experiment, not on every run.
  private let stages: [[RoleFunction]]
  /// The workers that run functions, in the cluster's order.
  private let workerNames: [String]
  private let rolesValue: LuaValue
  /// `ctx.node` of each worker and `ctx.experiment`: made once, not on every call.
  private let nodeValues: [String: LuaValue]
  private let experimentValue: LuaValue
  private let variableNames: [String]

  private let experimentID: String

  package init(experiment: Experiment, cluster: Cluster, experimentID: String = "", observer: any RunObserver) {
    self.experiment = experiment
    self.cluster = cluster
    self.experimentID = experimentID
    self.observer = observer
    stages = experiment.stages
    let roles = experiment.roles(in: cluster)
    workerNames = cluster.workers.filter { roles.contains($0.role) }.map(\.name)
    rolesValue = cluster.rolesValue
    nodeValues = Dictionary(uniqueKeysWithValues: cluster.workers.compactMap { node in cluster.nodeValue(named: node.name).map { (node.name, $0) } })
    experimentValue = .record(["id": .string(experimentID)])
    variableNames = experiment.variables.map(\.name)
  }

  /// Runs `planned` on `sessions`.
  ///
  /// - Returns: its row: ok with the merged results, or failed / timeout with the error.
  /// - Throws: `TransportError` when a worker goes away (the caller reconnects), `Diagnostic`
  ///   for a role with no worker.
  package func execute(_ planned: PlannedRun, on sessions: [String: NodeSession]) async throws -> ResultRow {
    var row = ResultRow(index: planned.index, repetition: planned.repetition, values: planned.values)
    row.start = Clock.wall()
    let started = Clock.monotonic()
    var values = LuaTable()
    for (name, value) in zip(variableNames, planned.values) { values.fields[.string(name)] = value }
    var sections: [(title: String, log: [LogEntry])] = []
    var touched: Set<String> = []
    var ended: Set<String> = []
    var runEnds: [String: RunEnd] = [:]
    for (number, stage) in stages.enumerated() {
      var calls = try stage.flatMap { try self.calls(of: $0, values: values) }
      if number == stages.count - 1, calls.count == 1, calls[0].function.retries == 0, calls[0].function.timeout == nil {
        // The run's very last call ends it on its worker in the same round trip. Only when it is
        // alone in its stage: ending a worker's run while another call of the stage still runs
        // would end the processes that call may use (the server's daemon its clients talk to).
        // Not a call tried again, nor one whose timeout the controller holds: that time is the
        // function's alone.
        calls[0].endsRun = true
      }
      touched.formUnion(calls.map(\.node.name))
      let outcomes = try await perform(calls, of: planned, values: values, on: sessions)
      for (call, outcome) in zip(calls, outcomes) {
        if let end = outcome.runEnd { runEnds[call.node.name] = end }
        var log = outcome.log
        // The run's log says why a function failed, with the worker's traceback.
        if let error = outcome.error { log.append(.print("error: \(error.diagnostic.verboseDescription)")) }
        sections.append(("run \(planned.index), \(call.worker), function at \(call.function.location)", log))
        for case .warning(let text) in outcome.log { observer.warning(text) }
        if outcome.workerEnded { ended.insert(call.node.name) }
      }
      record(calls, outcomes, in: &row)
      if row.status != .ok { break }
    }
    // Every worker the run used ends it, all at once; their logs and files in the cluster's order.
    let ending = workerNames.filter { touched.contains($0) && !ended.contains($0) && runEnds[$0] == nil }
      .compactMap { name in sessions[name].map { (name, $0) } }
    try await withThrowingTaskGroup(of: (String, RunEnd).self) { group in
      for (name, session) in ending { group.addTask { (name, try await session.endRun(planned.index)) } }
      for try await (name, end) in group { runEnds[name] = end }
    }
    for name in workerNames {
      guard let end = runEnds[name] else { continue }
      sections.append(("run \(planned.index), \(name), background commands", end.log))
      row.files += try observer.store(end.files, under: "runs/\(planned.index)/\(name)")
    }
    row.log = writeLog(of: planned, sections: sections)
    row.duration = Clock.monotonic() - started
    if !ended.isEmpty { throw WorkersEnded(row: row, roles: ended.sorted()) }
    return row
  }

  /// A stage's outcomes into the row, function by function: a function on a role of several
  /// machines gets one column per machine, and its aggregates.
  private func record(_ calls: [Call], _ outcomes: [CallResult], in row: inout ResultRow) {
    var start = 0
    while start < calls.count {
      var end = start + 1
      while end < calls.count, calls[end].function.index == calls[start].function.index { end += 1 }
      let group = Array(zip(calls[start..<end], outcomes[start..<end]))
      if calls[start].count > 1 && calls[start].interface == nil {
        recordNodes(group, in: &row)
      } else {
        for (call, outcome) in group { record(outcome, of: call, in: &row) }
      }
      start = end
    }
  }

  /// The run's log file, named in the row; nil when there is nothing to say or it cannot be
  /// written (disk full): that must not cost the run's results, and the append of the run
  /// itself then decides whether to stop.
  private func writeLog(of planned: PlannedRun, sections: [(title: String, log: [LogEntry])]) -> String? {
    guard let text = RunLog.text(sections: sections) else { return nil }
    do {
      return try observer.writeLog(named: "run-\(String(planned.index).zeroPadded(to: 4))", text)
    } catch {
      observer.message("mpf: the log of run \(planned.index) was not written: \(error)")
      return nil
    }
  }

  /// The calls of one stage, concurrently; results in the order of `calls`.
  private func perform(
    _ calls: [Call], of planned: PlannedRun, values: LuaTable, on sessions: [String: NodeSession]
  ) async throws -> [CallResult] {
    try await withThrowingTaskGroup(of: (Int, CallResult).self) { group in
      for (position, call) in calls.enumerated() {
        guard let session = sessions[call.node.name] else {
          throw Diagnostic(.usage, "role '\(call.node.role)' has no worker", at: call.function.location)
        }
        var context: [String: LuaValue] = [
          "role": .string(call.node.role), "node": nodeValues[call.node.name] ?? call.node.nodeValue(count: call.count), "run": .integer(Int64(planned.index)),
          "repetition": .integer(Int64(planned.repetition)), "kind": .string("run"),
          "experiment": experimentValue,
        ]
        if let interface = call.interface { context["interface"] = interface.luaValue }
        if !experiment.software.isEmpty {
          let machine = call.node.machine.displayName
          let named = Dictionary(uniqueKeysWithValues: zip(variableNames, planned.values))
          context["software"] = deployment.context(on: machine, software: experiment.software, variables: experiment.variables, values: named)
        }
        let function = call.function
        let roles = (rolesValue, rolesVersion)
        let endsRun = call.endsRun
        group.addTask { [context] in
          if function.delay > 0 { try await Task.sleep(for: .milliseconds(Int64(function.delay * 1000))) }
          return (
            position,
            try await Self.call(
              function, run: planned.index, context: .record(context), values: .table(values), roles: roles, endsRun: endsRun, on: session)
          )
        }
      }
      var outcomes: [(Int, CallResult)] = []
      for try await outcome in group { outcomes.append(outcome) }
      return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
    }
  }

  /// One call, retried up to the function's `retries` while it fails; every attempt is logged.
  private static func call(
    _ function: RoleFunction, run: Int, context: LuaValue, values: LuaValue, roles: (LuaValue, Int), endsRun: Bool,
    on session: NodeSession
  ) async throws -> CallResult {
    var result = try await heldCall(function, run: run, context: context, values: values, roles: roles, endsRun: endsRun, on: session)
    var log = result.log
    for attempt in stride(from: 1, through: function.retries, by: 1) {
      guard let error = result.error, !result.workerEnded else { break }
      let message = error.file == nil ? "\(function.location): \(error.message)" : error.diagnostic.locatedMessage
      log.append(.print("-- attempt \(attempt) failed: \(message); retrying (\(attempt) of \(function.retries))"))
      result = try await heldCall(function, run: run, context: context, values: values, roles: roles, endsRun: false, on: session)
      log += result.log
    }
    result.log = log
    return result
  }

  /// The seconds past a function's timeout the controller waits for its worker to end it.
  static func grace(after timeout: Double) -> Double { max(2, timeout * 0.1) }

  /// A call whose timeout is also held from the controller: the worker ends a function at its
  /// timeout, but code it cannot stop (a loop inside pcall, a coroutine, a long C call, a
  /// command that closed its output) keeps the worker busy; past timeout and a grace period,
  /// the controller ends that worker and everything it started, and the call is a timeout.
  private static func heldCall(
    _ function: RoleFunction, run: Int, context: LuaValue, values: LuaValue, roles: (LuaValue, Int), endsRun: Bool,
    on session: NodeSession
  ) async throws -> CallResult {
    guard let timeout = function.timeout, timeout > 0 else {
      return try await session.call(function, run: run, context: context, values: values, roles: roles.0, version: roles.1, endsRun: endsRun)
    }
    let limit = timeout + grace(after: timeout)
    return try await withThrowingTaskGroup(of: CallResult?.self) { group in
      group.addTask {
        try await session.call(function, run: run, context: context, values: values, roles: roles.0, version: roles.1, endsRun: endsRun)
      }
      group.addTask {
        try await Task.sleep(for: .milliseconds(Int64(limit * 1000)))
        return nil
      }
      let first = try await group.next() ?? nil
      if let first {
        group.cancelAll()
        return first
      }
      // The worker did not answer in time: end it (its pending answer then fails).
      await session.abort()
      while let _ = try? await group.next() {}
      var result = CallResult(
        results: .nil,
        error: WireDiagnostic(Diagnostic(
          .timeout,
          "timeout: the function ran past its timeout of \(NumberText.formatNumber(timeout)) s and did not stop (a loop inside pcall or a coroutine, a long C call, a command that closed its output): mpf ended its worker and everything it started; the next run gets a new one")),
        log: [], duration: limit)
      result.workerEnded = true
      return result
    }
  }

  /// Merges a call's results into the row, or fails the row with its error.
  private func record(_ outcome: CallResult, of call: Call, in row: inout ResultRow) {
    // On a role of several machines, the error says which one.
    let which = call.count > 1 ? "\(call.node.name) (\(call.node.machine.displayName)): " : ""
    if let error = outcome.error {
      if error.kind == .timeout {
        row.fail("\(which)\(call.function.location): \(error.message)", status: .timeout)
      } else {
        row.fail(which + error.diagnostic.locatedMessage)
        if row.traceback == nil { row.traceback = error.traceback }
        if error.kind == .usage, row.mistake == nil { row.mistake = error.diagnostic }
      }
      return
    }
    do {
      if case .table(let table) = outcome.results { try row.merge(table, from: call.function) }
    } catch let error as Diagnostic {
      row.fail(error.locatedMessage)
      if error.kind == .usage, row.mistake == nil { row.mistake = error }
    } catch {
      row.fail("\(error)")
    }
  }

  /// The results of one function that ran on every machine of its role: each value as
  /// `name@worker`, and `name` itself folded as the function's `aggregate` says.
  private func recordNodes(_ group: [(Call, CallResult)], in row: inout ResultRow) {
    var failed = false
    for (call, outcome) in group where outcome.error != nil {
      record(outcome, of: call, in: &row)
      failed = true
    }
    guard !failed, let function = group.first?.0.function else { return }
    var names: [String] = []
    var tables: [(node: String, values: [String: LuaValue])] = []
    for (call, outcome) in group {
      guard case .table(let table) = outcome.results else {
        tables.append((call.node.name, [:]))
        continue
      }
      let named = table.namedFields
      for field in named where !names.contains(field.name) { names.append(field.name) }
      tables.append((call.node.name, Dictionary(uniqueKeysWithValues: named.map { ($0.name, $0.value) })))
    }
    var results: [(String, ResultValue)] = []
    for name in names {
      let values = tables.map { $0.values[name].map(ResultValue.init(raw:)) }
      if let aggregate = function.aggregate(of: name), let folded = Self.fold(values, aggregate) { results.append((name, folded)) }
      for (table, value) in zip(tables, values) {
        if let value { results.append(("\(name)@\(table.node)", value)) }
      }
    }
    do {
      try row.merge(results, from: function)
    } catch let error as Diagnostic {
      row.fail(error.locatedMessage)
      if error.kind == .usage, row.mistake == nil { row.mistake = error }
    } catch {
      row.fail("\(error)")
    }
  }

  /// The aggregate of one result over a role's machines: missing when a machine lacks it or
  /// it is not a number of one unit there.
  static func fold(_ values: [ResultValue?], _ aggregate: NodeAggregate) -> ResultValue? {
    var numbers: [Double] = []
    var unit: String?
    for value in values {
      guard let quantity = value?.quantity, unit == nil || unit == quantity.unit else { return nil }
      unit = quantity.unit
      numbers.append(quantity.value)
    }
    guard let result = aggregate.apply(numbers), let unit else { return nil }
    let whole = result.rounded() == result && abs(result) < 9e15
    if unit.isEmpty { return ResultValue(raw: whole ? .integer(Int64(result)) : .number(result)) }
    // Every digit kept: the sum of the machines' values, not a rounded display of it.
    return ResultValue(raw: .string((whole ? String(Int64(result)) : String(result)) + " " + unit))
  }

  /// One call of a function in a run: on which worker, and for a link function which interface.
  private struct Call {
    var function: RoleFunction
    var node: RoleAssignment
    /// How many machines its role has.
    var count = 1
    var interface: Interface?
    /// The worker ends the run right after this call.
    var endsRun = false

    /// How logs name the worker: `role client`, `client2 (h3)`.
    var worker: String { count > 1 ? "\(node.name) (\(node.machine.displayName))" : "role \(node.role)" }
  }

  private func calls(of function: RoleFunction, values: LuaTable) throws -> [Call] {
    switch function.target {
    case .role(let role):
      let nodes = cluster.nodes(of: role)
      return nodes.map { Call(function: function, node: $0, count: nodes.count) }
    case .roleVariable(let name):
      guard let role = values.fields[.string(name)]?.stringValue else {
        throw Diagnostic(.usage, "variable '\(name)' names the role but has no role name in this run", at: function.location)
      }
      let nodes = cluster.nodes(of: role)
      return nodes.map { Call(function: function, node: $0, count: nodes.count) }
    case .link(let link):
      return cluster.workers.flatMap { assignment in
        assignment.interfaces.filter { $0.link == link }.map { Call(function: function, node: assignment, interface: $0) }
      }
    }
  }
}

/// A run whose function overran its timeout: the row is done (a timeout), and the workers of
/// `roles` were ended; the orchestrator starts new ones before the next run.
struct WorkersEnded: Error {
  var row: ResultRow
  var roles: [String]
}
