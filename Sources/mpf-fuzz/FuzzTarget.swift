internal import MPFCore
internal import MPFYAML
internal import MPFResults
internal import MPFLua
internal import MPFScript
internal import MPFCluster
internal import MPFHost
import MPFSystem

/// An entry point of mpf that reads bytes from outside: what a fuzzer feeds (scripts/fuzz), and
/// what the corpora under Fuzz/corpus/ replay in the tests.
///
/// Every input must end in a value or a thrown error: a crash, a hang or a runaway allocation
/// is a finding (docs/security.md lists them and the test each became).
enum FuzzTarget: String, CaseIterable {
  /// The cluster file loader (YAML, then the cluster's own checks).
  case cluster
  /// experiment.yaml, as `mpf show`, `mpf resume` and `mpf.load` read it.
  case results
  /// A worker's decoder of the controller's requests.
  case request
  /// The controller's decoder of a worker's answers.
  case response
  /// A result's text read as a quantity (`10 Gbit/s`, `3c9e1f2`, `1,234`).
  case quantity
  /// `ex` interpolation of `$name`, `$'name'` and `${expression}`.
  case interpolation
  /// A bundle's tar stream (what `gzip -dc` gives `mpf replay`), header by header.
  case tar
  /// A bundle's manifest.
  case manifest

  func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: bytes, as: UTF8.self)
    switch self {
    case .cluster:
      _ = try? ClusterSpec.parse(text, file: "fuzz.yaml")
    case .results:
      FuzzTarget.loadResults(bytes)
    case .request:
      _ = try? Envelope<WorkerRequest>.decode(Array(bytes))
    case .response:
      _ = try? Envelope<WorkerResponse>.decode(Array(bytes))
    case .quantity:
      if let quantity = Quantity(parsing: text) { _ = quantity.value.isFinite && quantity.unit.isEmpty }
    case .interpolation:
      FuzzTarget.interpolate(text)
    case .tar:
      // Fed in pieces that are not blocks, as a pipe gives them.
      let all = Array(bytes)
      var check = TarCheck()
      var offset = 0
      do {
        while offset < all.count {
          try check.feed(all[offset..<min(all.count, offset + 509)])
          offset += 509
        }
        try check.finish()
      } catch {}
    case .manifest:
      _ = try? BundleManifest.parse(text)
    }
  }

  /// Valid inputs to start from where they are not plain text files one can write by hand:
  /// messages made by mpf's own encoders (`mpf-fuzz TARGET --seeds DIR` writes them).
  var seeds: [[UInt8]] {
    let context: LuaValue = .table(LuaTable(fields: ["run": 3, "role": "server", "roles": .table(LuaTable(fields: ["server": .table(LuaTable(fields: ["host": "h1"]))]))]))
    let values: LuaValue = .table(LuaTable(fields: ["rate": 10, "name": "it's", "on": true, "list": .list([1, 2.5, "x"])]))
    let command = CommandRecord(command: "iperf3 -c h1", location: "exp.lua:7", background: false, exitCode: 0, stdout: "1 Gbits/sec\n", stderr: "", duration: 1.5)
    switch self {
    case .request:
      var load = LoadRequest(scriptName: "exp.lua", scriptSource: "mpf.run{role = 'r'}(function() end)", arguments: ["a"], role: "server")
      load.replay = ["x = 1"]
      return [
        Envelope(id: 1, body: WorkerRequest.load(load)).encoded(),
        Envelope(id: 2, body: WorkerRequest.call(CallRequest(function: 1, run: 3, timeout: 5, context: context, values: values))).encoded(),
        Envelope(id: 3, body: WorkerRequest.endRun(run: 3)).encoded(),
        Envelope(id: 4, body: WorkerRequest.shutdown).encoded(),
        Envelope(id: 5, body: WorkerRequest.replay(["y = 2", "mpf.on('r', 'ls')"])).encoded(),
      ]
    case .response:
      let failure = WireDiagnostic(kind: .runtime, message: "boom", file: "exp.lua", line: 9, traceback: "stack traceback:\n\texp.lua:9")
      return [
        Envelope(id: 1, body: WorkerResponse.loaded(functionCount: 2, version: "0.1.0", facts: values)).encoded(),
        Envelope(id: 2, body: WorkerResponse.called(CallResult(results: values, log: [.command(command), .print("hi"), .warning("w")], duration: 1.5))).encoded(),
        Envelope(id: 3, body: WorkerResponse.called(CallResult(results: .nil, error: failure, log: [], duration: 0.1))).encoded(),
        Envelope(id: 4, body: WorkerResponse.ended(log: [.command(command)], files: [WorkerFile(path: "fn-1/out.txt", contents: Array("data".utf8))])).encoded(),
        Envelope(id: 5, body: WorkerResponse.goodbye(files: [])).encoded(),
        Envelope(id: 6, body: WorkerResponse.failed(failure)).encoded(),
      ]
    case .cluster, .results, .quantity, .interpolation, .tar, .manifest:
      return []
    }
  }

  /// A results directory of this process's, on tmpfs when there is one.
  private static let resultsDirectory: String = {
    let base = FileSystem.exists("/dev/shm") ? "/dev/shm" : TemporaryDirectory.root
    let path = FileSystem.join(base, "mpf-fuzz-\(ThisProcess.id)")
    try? FileSystem.createDirectory(path)
    return path
  }()

  private static func loadResults(_ bytes: UnsafeBufferPointer<UInt8>) {
    let file = FileSystem.join(resultsDirectory, "experiment.yaml")
    guard (try? FileSystem.writeAtomically(file, Array(bytes))) != nil else { return }
    if let stored = try? StoredExperiment.load(resultsDirectory) { _ = stored.rows.count }
    _ = try? StoredExperiment.load(resultsDirectory, headerOnly: true)
  }

  /// A controller script whose `fuzz(text)` calls `ex(text)` with names in scope (an error
  /// comes back as a thrown Diagnostic); `ex` hands back the expanded command instead of
  /// running it. Nothing of the system is reachable from
  /// an expression (`os`, `io`, `require` removed, `load` text-only), and each call has a
  /// deadline: the fuzzer looks for mpf's faults, not for the Lua a user may write.
  nonisolated(unsafe) private static var script: ExperimentScript? = {
    let primitives = ScriptPrimitives(exec: { command, _, location in
      CommandRecord(command: command, location: location, background: false, exitCode: 0, stdout: command, stderr: "", duration: 0)
        .luaValue
    })
    guard let script = try? ExperimentScript(mode: .controller, arguments: [], primitives: primitives) else { return nil }
    let source = """
      rate, name, flag = 10, "it's", true
      local top = 'top'
      function fuzz(text)
        local n, s, t = 2.5, 'two words', {1}
        local out = ex(text)
        return out
      end
      local raw_load = load
      load = function(chunk, name, _, env) return raw_load(chunk, name, 't', env) end
      os, io, package, require, dofile, loadfile, collectgarbage = nil, nil, nil, nil, nil, nil, nil
      """
    guard (try? script.runAsController(path: "fuzz.lua", source: source)) != nil else { return nil }
    return script
  }()

  private static func interpolate(_ text: String) {
    guard let script else { return }
    script.lua.setGlobal("input", .string(text))
    script.setDeadline(0.5)
    _ = try? script.lua.run(source: "return fuzz(input)", chunkName: "=fuzz")
    script.setDeadline(0)
  }
}
