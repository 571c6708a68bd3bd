import Testing
#if canImport(Glibc)
  import Glibc
#endif
import MPFCore
import MPFTestSupport
import MPFCluster
import MPFWorker
import MPFHost

/// The orchestrator, driven through workers that run in this process: how a run flows.
@Suite struct OrchestratorTests {
  /// Three runs of one function on role a.
  static let threeRuns = """
    mpf.add_variable('x', {1, 2, 3})
    mpf.run{role = 'a'}(function(x) return {x2 = x * x} end)
    mpf.run_experiment{n_runs = 1, seed = 1}
    """

  @Test func everyRunOfTheSourceIsRecordedInOrderWithItsValues() async throws {
    let experiment = try declaredExperiment(
      """
        mpf.add_variable('x', {1, 2, 3})
        mpf.run{role = 'a'}(function(x) return {double = x * 2} end)
        mpf.run_experiment{n_runs = 2, seed = 7}
        """, path: "e.lua")
    let observer = RecordingObserver()
    let rows = try await inProcessOrchestrator(experiment).run(plannedRuns(experiment), observer: observer)
    #expect(rows.map(\.index) == Array(0..<6))
    #expect(observer.rows == Array(rows))
    for row in rows {
      #expect(row.status == .ok)
      #expect(row.results["double"]?.raw == .integer(2 * (row.values[0].intValue ?? 0)))
    }
    #expect(observer.facts?.keys.sorted() == ["localhost"])
  }

  @Test func functionsOfAStageRunTogetherAndTheNextStageWaitsForThem() async throws {
    // a and b share a stage (a is parallel); c runs after both, on a's worker, and sees what
    // a left in its Lua state; the delay holds b back.
    let experiment = try declaredExperiment(
      """
        local seen = 'nothing'
        mpf.run{role = 'a', parallel = true}(function() seen = 'a ran' return {a = 1} end)
        mpf.run{role = 'b', delay = 0.2}(function() return {b = 2} end)
        mpf.run{role = 'a'}(function() return {c = seen} end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "e.lua")
    #expect(experiment.stages.map { $0.map(\.index) } == [[1, 2], [3]])
    let rows = try await inProcessOrchestrator(experiment).run(plannedRuns(experiment), observer: RecordingObserver())
    #expect(rows.count == 1)
    #expect(rows[0].resultOrder == ["a", "b", "c"])
    #expect(rows[0].results["c"]?.raw == .string("a ran"))
    #expect(rows[0].duration >= 0.2)
  }

  @Test func aFailingFunctionIsRetriedAndEveryAttemptLogged() async throws {
    let experiment = try declaredExperiment(
      """
        local tries = 0
        mpf.run{role = 'a', retries = 2}(function()
          tries = tries + 1
          if tries < 3 then error('not yet') end
          return {tries = tries}
        end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "r.lua")
    let observer = RecordingObserver()
    let rows = try await inProcessOrchestrator(experiment).run(plannedRuns(experiment), observer: observer)
    #expect(rows[0].status == .ok)
    #expect(rows[0].results["tries"]?.raw == .integer(3))
    let log = try #require(observer.logs["run-0000"])
    #expect(log.contains("-- attempt 1 failed: r.lua:4: not yet; retrying (1 of 2)"))
    #expect(log.contains("-- attempt 2 failed: r.lua:4: not yet; retrying (2 of 2)"))
  }

  @Test func aFunctionThatStillFailsFailsTheRunAndSkipsTheLaterStages() async throws {
    let experiment = try declaredExperiment(
      """
        mpf.run{role = 'a'}(function() error('broken') end)
        mpf.run{role = 'a'}(function() return {never = true} end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "f.lua")
    let rows = try await inProcessOrchestrator(experiment).run(plannedRuns(experiment), observer: RecordingObserver())
    #expect(rows[0].status == .failed)
    #expect(rows[0].error == "f.lua:1: broken")
    #expect(rows[0].results.isEmpty)
  }

  @Test func aFunctionPastItsTimeoutEndsAsTimeout() async throws {
    let experiment = try declaredExperiment(
      """
        mpf.run{role = 'a', timeout = 0.2}(function() while true do end end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "t.lua")
    let rows = try await inProcessOrchestrator(experiment).run(plannedRuns(experiment), observer: RecordingObserver())
    #expect(rows[0].status == .timeout)
    #expect(rows[0].error == "t.lua:1: timeout: the function ran longer than 0.2 s")
  }

  @Test func aLinkFunctionRunsOnEachEndOfTheLink() async throws {
    let experiment = try declaredExperiment(
      """
        mpf.run{link = 'wire'}(function(ctx) return {[ctx.role .. '_end'] = ctx.interface.name} end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "l.lua")
    let machine = Machine(hostname: "localhost")
    let cluster = Cluster(assignments: [
      RoleAssignment(role: "left", machine: machine, interfaces: [Interface(name: "veth0", ip: "10.0.0.1", link: "wire")]),
      RoleAssignment(role: "right", machine: machine, interfaces: [Interface(name: "veth1", ip: "10.0.0.2", link: "wire")]),
      RoleAssignment(role: "idle", machine: machine, interfaces: [Interface(name: "eth0", ip: "10.0.1.1", link: "other")]),
    ])
    let rows = try await inProcessOrchestrator(experiment, cluster: cluster).run(plannedRuns(experiment), observer: RecordingObserver())
    #expect(rows[0].results.mapValues(\.raw) == ["left_end": .string("veth0"), "right_end": .string("veth1")])
  }

  @Test func aVariableCanNameTheRoleOfEachRun() async throws {
    let experiment = try declaredExperiment(
      """
        mpf.add_variable('who', {'a', 'b'})
        mpf.run{role = 'who'}(function(ctx) return {ran_on = ctx.role} end)
        mpf.run_experiment{n_runs = 2, seed = 3}
        """, path: "v.lua")
    let rows = try await inProcessOrchestrator(experiment).run(plannedRuns(experiment), observer: RecordingObserver())
    #expect(rows.count == 4)
    for row in rows { #expect(row.results["ran_on"]?.raw == row.values[0]) }
  }

  @Test func aLostWorkerIsReconnectedAndTheRunRedone() async throws {
    let experiment = try declaredExperiment(Self.threeRuns, path: "n.lua")
    // load, call run 0 (which ends the run too): then the connection drops during run 1.
    let connections = FlakyConnections(dieAfter: 2)
    let observer = RecordingObserver()
    let orchestrator = inProcessOrchestrator(
      experiment, connect: { connections.connect($0) }, reconnect: { connections.connect($0) })
    let rows = try await orchestrator.run(plannedRuns(experiment), observer: observer)
    #expect(rows.map(\.status) == [.ok, .ok, .ok])
    #expect(rows.map(\.index) == [0, 1, 2])
    #expect(observer.messages.contains("mpf: localhost is back; redoing run 1"))
  }

  @Test func aWorkerThatStaysAwayEndsTheExperimentWithANodeLostRun() async throws {
    let experiment = try declaredExperiment(Self.threeRuns, path: "n.lua")
    let connections = FlakyConnections(dieAfter: 2)
    let observer = RecordingObserver()
    let orchestrator = inProcessOrchestrator(
      experiment, connect: { connections.connect($0) },
      reconnect: { throw TransportError(node: $0.machine.displayName, "connection refused") })
    let error = try await #require(throws: PartialRunError.self) {
      try await orchestrator.run(plannedRuns(experiment), observer: observer)
    }
    #expect(error.rows.map(\.status) == [.ok, .nodeLost])
    #expect((error.underlying as? ExperimentStopped)?.reason == .machineLost(machine: "localhost", role: "a", run: 1))
    #expect(observer.rows.map(\.status) == [.ok, .nodeLost])
  }

  @Test func onErrorStopEndsAtTheFirstFailedRun() async throws {
    var experiment = try declaredExperiment(
      """
        mpf.add_variable('x', {1, 2, 3})
        mpf.run{role = 'a'}(function(x) if x == 2 then error('two') end end)
        mpf.run_experiment{n_runs = 1, seed = 1, on_error = 'stop'}
        """, path: "s.lua")
    #expect(experiment.stopOnError)
    experiment.seed = 1
    let plan = RunPlan(variables: experiment.variables, runCount: 1, seed: 1)
    let failedAt = try #require(plan.runs.firstIndex { $0.values == [.integer(2)] })
    let error = try await #require(throws: PartialRunError.self) {
      try await inProcessOrchestrator(experiment).run(PlannedRuns(plan.runs), observer: RecordingObserver())
    }
    #expect(error.rows.count == failedAt + 1)
    #expect((error.underlying as? ExperimentStopped)?.reason == .runFailed(run: failedAt, status: "failed"))
  }

  @Test func aStopRequestEndsTheExperimentAfterTheRunInProgress() async throws {
    let experiment = try declaredExperiment(
      """
        mpf.add_variable('x', {1, 2, 3, 4})
        mpf.run{role = 'a'}(function(x) return {y = x} end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "c.lua")
    let orchestrator = inProcessOrchestrator(experiment)
    let stop = orchestrator.stop
    let observer = RecordingObserver { _ in stop.escalate() }
    let error = try await #require(throws: PartialRunError.self) {
      try await orchestrator.run(plannedRuns(experiment), observer: observer)
    }
    #expect(error.rows.count == 1)
    #expect((error.underlying as? ExperimentStopped)?.reason == .interruptedAfterRun)
    #expect(observer.messages.contains { $0.hasPrefix("mpf: Ctrl-C: finishing the run in progress") })
  }

  @Test func aScriptThatFailsOnTheWorkerStopsBeforeAnyRun() async throws {
    var experiment = try declaredExperiment(
      """
        mpf.run{role = 'a'}(function() end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "w.lua")
    experiment.scriptSource = "error('only on the worker')"
    let error = try await #require(throws: Diagnostic.self) {
      try await inProcessOrchestrator(experiment).run(plannedRuns(experiment), observer: RecordingObserver())
    }
    #expect(error.description == "w.lua:1: error: only on the worker")
  }

  /// A server and three clients on this machine: the clients' function runs on each of them.
  static func severalClients(spare: Bool = false) -> Cluster {
    let here = Machine(hostname: "localhost")
    return Cluster(
      assignments: [
        RoleAssignment(role: "server", machine: here, interfaces: [Interface(name: "lo", ip: "127.0.0.1")]),
        RoleAssignment(role: "client", machine: Machine(hostname: "c1"), interfaces: [Interface(name: "e0", ip: "10.0.0.1")]),
        RoleAssignment(role: "client", machine: Machine(hostname: "c2"), interfaces: [Interface(name: "e0", ip: "10.0.0.2")]),
        RoleAssignment(role: "client", machine: Machine(hostname: "c3"), interfaces: [Interface(name: "e0", ip: "10.0.0.3")]),
      ] + (spare ? [RoleAssignment(role: "client", machine: Machine(hostname: "c9"), interfaces: [], spare: true)] : []))
  }

  @Test func aRoleOfSeveralMachinesRunsOnEachKeepingEveryValueAndItsAggregates() async throws {
    let experiment = try declaredExperiment(
      """
        mpf.add_variable('x', {1, 2})
        local started = 'no'
        mpf.init{role = 'client'}(function(ctx) started = ctx.node.name .. ' of ' .. ctx.node.count; print(started) end)
        mpf.run{role = 'server'}(function(ctx)
          local ips = {}
          for _, node in ipairs(ctx.roles.client) do ips[#ips + 1] = node.interfaces[1].ip end
          return {clients = table.concat(ips, ' '), first = ctx.roles.client.interfaces[1].ip}
        end)
        mpf.run{role = 'client', aggregate = {rate = 'sum', delay = 'max'}}(function(ctx, x)
          print('x is ' .. x)
          return {rate = (ctx.node.index * x) .. ' Mbit/s', delay = ctx.node.index / 10, seen = started, on = ctx.node.machine}
        end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "m.lua")
    let observer = RecordingObserver()
    let rows = try await inProcessOrchestrator(experiment, cluster: Self.severalClients(), connect: { InProcessChannel(name: $0.name) })
      .run(plannedRuns(experiment), observer: observer)
    #expect(rows.count == 2)
    for row in rows {
      let x = Double(row.values[0].intValue ?? 0)
      #expect(row.status == .ok)
      #expect(row.results["clients"]?.raw == .string("10.0.0.1 10.0.0.2 10.0.0.3"))
      #expect(row.results["first"]?.raw == .string("10.0.0.1"))
      #expect(row.results["rate"]?.quantity == Quantity(value: 6e6 * x, unit: "bits/s"))
      #expect(row.results["rate@client2"]?.quantity == Quantity(value: 2e6 * x, unit: "bits/s"))
      #expect(row.results["delay"]?.quantity?.value == 0.3)
      #expect(row.results["delay@client1"]?.raw == .number(0.1))
      // No aggregate for these: each machine's own value only.
      #expect(row.results["seen"] == nil && row.results["on"] == nil)
      #expect(row.results["seen@client3"]?.raw == .string("client3 of 3"))
      #expect(row.results["on@client2"]?.raw == .string("c2"))
      #expect(row.resultOrder.prefix(4) == ["clients", "first", "delay", "delay@client1"])
    }
    // Each machine's init and run logs are its own.
    #expect(observer.logs.keys.filter { $0.hasPrefix("init-") }.sorted() == ["init-client1", "init-client2", "init-client3"])
    #expect(observer.logs["run-0000"]?.contains("run 0, client3 (c3), function at m.lua:9") == true)
    #expect(observer.logs["init-client2"]?.contains("init of client2 (c2), function at m.lua:3") == true)
  }

  @Test func aFailureOnOneMachineOfARoleNamesIt() async throws {
    let experiment = try declaredExperiment(
      """
        mpf.run{role = 'client', aggregate = 'sum'}(function(ctx)
          if ctx.node.index == 2 then error('disk full') end
          return {rate = 1}
        end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "f.lua")
    let rows = try await inProcessOrchestrator(experiment, cluster: Self.severalClients(), connect: { InProcessChannel(name: $0.name) })
      .run(plannedRuns(experiment), observer: RecordingObserver())
    #expect(rows[0].status == .failed)
    #expect(rows[0].error == "client2 (c2): f.lua:2: disk full")
    #expect(rows[0].results["rate"] == nil)
  }

  @Test func aLostMachineIsReplacedByASpareOfItsRoleAndTheRunRedone() async throws {
    let experiment = try declaredExperiment(
      """
        mpf.add_variable('x', {1, 2, 3})
        mpf.init{role = 'client'}(function() end)
        mpf.run{role = 'client', aggregate = 'sum'}(function(ctx, x)
          return {n = 1, where = ctx.node.machine, second = ctx.roles.client[2].machine}
        end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "s.lua")
    // c2 answers load, init, run 0 and its end, then is gone for good.
    let observer = RecordingObserver()
    let orchestrator = inProcessOrchestrator(
      experiment, cluster: Self.severalClients(spare: true),
      connect: { InProcessChannel(name: $0.name, dieAfter: $0.machine.hostname == "c2" ? 4 : nil) },
      reconnect: { assignment in
        if assignment.machine.hostname == "c2" { throw TransportError(node: "c2", "no route to host") }
        return InProcessChannel(name: assignment.name)
      })
    let rows = try await orchestrator.run(plannedRuns(experiment), observer: observer)
    #expect(rows.map(\.status) == [.ok, .ok, .ok])
    #expect(rows.map { $0.results["n"]?.raw } == [.integer(3), .integer(3), .integer(3)])
    #expect(rows[0].results["where@client2"]?.raw == .string("c2") && rows[0].machines.isEmpty)
    #expect(rows[0].results["second@client1"]?.raw == .string("c2"))
    for row in rows.dropFirst() {
      #expect(row.results["where@client2"]?.raw == .string("c9"))
      // Every worker was told the new ctx.roles, not only the new one.
      #expect(row.results["second@client1"]?.raw == .string("c9"))
      #expect(row.results["second@client3"]?.raw == .string("c9"))
      #expect(row.machines == ["client2": "c9"])
    }
    #expect(observer.messages.contains("mpf: c2 is lost: spare c9 takes the place of client2"))
    #expect(observer.messages.contains("mpf: client2 now runs on c9; redoing run 1"))
  }

  /// After a spare took a lost machine's place, a second Ctrl-C ends the spare's worker too (the
  /// stop watcher kept the sessions it started with, and aborted a dead one instead).
  @Test(.timeLimit(.minutes(1))) func stoppingNowAfterASpareTookOverEndsTheSparesWorker() async throws {
    let experiment = try declaredExperiment(
      """
        mpf.add_variable('x', {1, 2, 3})
        mpf.run{role = 'client', aggregate = 'sum'}(function(ctx, x)
          calls = (calls or 0) + 1
          if ctx.node.machine == 'c9' and calls > 1 then mpf.sleep(600) end
          return {n = 1}
        end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "s.lua")
    let spare = ClosableChannelSpy()
    let orchestrator = inProcessOrchestrator(
      experiment, cluster: Self.severalClients(spare: true),
      connect: { assignment in
        if assignment.machine.hostname == "c9" { return spare.wrap(InProcessChannel(name: assignment.name)) }
        return InProcessChannel(name: assignment.name, dieAfter: assignment.machine.hostname == "c2" ? 3 : nil)
      },
      reconnect: { assignment in throw TransportError(node: assignment.machine.hostname, "no route to host") })
    let stop = orchestrator.stop
    // Once the spare has redone run 1, run 2's call on it never returns: stop now, twice Ctrl-C.
    let observer = RecordingObserver { row in
      guard row.machines["client2"] == "c9" else { return }
      Task {
        try? await Task.sleep(for: .milliseconds(300))
        _ = stop.escalate()
        _ = stop.escalate()
      }
    }
    _ = try? await orchestrator.run(plannedRuns(experiment), observer: observer)
    #expect(observer.messages.contains("mpf: c2 is lost: spare c9 takes the place of client2"), "\(observer.messages)")
    #expect(spare.closed, "the spare's worker was not ended by the stop")
  }

  /// A function that returns early must not end its worker's run while the other calls of its
  /// stage still run: the clients use the daemon the server left running.
  @Test func aRunEndsOnlyOnceEveryCallOfItsLastStageHasReturned() async throws {
    let number = UInt32.random(in: 1000...9999)
    let experiment = try declaredExperiment(
      """
        mpf.run{role = 'server', parallel = true}(function() ex 'sleep \(number).5 &' end)
        mpf.run{role = 'client', delay = 0.3, aggregate = 'sum'}(function()
          -- [.]: the pattern does not match the shell running pgrep itself.
          return {alive = #ex('pgrep -f "sleep \(number)[.]5"') > 0 and 1 or 0}
        end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "d.lua")
    let rows = try await inProcessOrchestrator(experiment, cluster: Self.severalClients(), connect: { InProcessChannel(name: $0.name) })
      .run(plannedRuns(experiment), observer: RecordingObserver())
    #expect(rows[0].status == .ok, "\(rows[0].error ?? "")")
    #expect(rows[0].results["alive@client1"]?.raw == .integer(1))
    #expect(rows[0].results["alive"]?.raw == .integer(3))
  }

  @Test func aLocalMachineGivenNoInterfaceGetsOneAtItsAddress() async throws {
    let experiment = try declaredExperiment(
      """
        mpf.run{role = 'a'}(function(ctx) return {ip = ctx.roles.a.interfaces[1].ip, name = ctx.node.interfaces[1].name} end)
        mpf.run_experiment{n_runs = 1, seed = 1}
        """, path: "i.lua")
    let cluster = Cluster(assignments: [RoleAssignment(role: "a", machine: Machine(hostname: "localhost"), interfaces: [])])
    let rows = try await inProcessOrchestrator(experiment, cluster: cluster).run(plannedRuns(experiment), observer: RecordingObserver())
    #expect(rows[0].status == .ok, "\(rows[0].error ?? "")")
    #expect(rows[0].results["name"]?.raw == .string("primary"))
    // The address ssh reached this machine at, when the tests themselves run over ssh.
    let expected = getenv("SSH_CONNECTION").map { String(String(cString: $0).split(separator: " ")[2]) } ?? "127.0.0.1"
    #expect(rows[0].results["ip"]?.raw == .string(expected))
  }
}
