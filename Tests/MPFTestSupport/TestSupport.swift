package import MPFCore
package import MPFScript
import MPFWorker
import MPFSystem

/// Loads `source` as a controller script whose ex runs in a real shell; returns the globals
/// the script left behind through `result`.
package func runController(_ source: String, name: String = "test.lua") throws -> ExperimentScript {
  let shell = Shell()
  let script = try ExperimentScript(
    mode: .controller, arguments: ["a1", "a2"],
    primitives: ScriptPrimitives(exec: { command, background, location in
      (background ? shell.start(command, location: location) : shell.run(command, location: location)).luaValue
    }))
  try script.runAsController(path: name, source: source)
  return script
}

/// Runs `source` as a controller script and returns the experiment it declared (what
/// `mpf.run_experiment` received), without running it.
package func declaredExperiment(_ source: String, path: String, seed: UInt64? = nil) throws -> Experiment {
  var captured: LuaValue = .nil
  var primitives = ScriptPrimitives(exec: { _, _, _ in .nil })
  primitives.runExperiment = { spec in
    captured = spec
    return .record([:])
  }
  let script = try ExperimentScript(mode: .controller, arguments: [], primitives: primitives)
  try script.runAsController(path: path, source: source)
  return try ExperimentSpec.experiment(
    from: captured, scriptPath: path, scriptSource: source, arguments: [], defaultRuns: nil, defaultSeed: seed)
}
