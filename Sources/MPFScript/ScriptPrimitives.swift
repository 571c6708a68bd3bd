package import MPFCore
package import MPFSystem
/// The few typed host functions the Lua stdlib calls (`_mpf_host.*`). The policy is in Lua.
package struct ScriptPrimitives {
  /// `exec(command, background, location)` → `{lines = {...}, code = n, stderr = "..."}`.
  package var exec: (_ command: String, _ background: Bool, _ location: String) throws -> LuaValue
  /// `log(text)`: a `print` (a worker logs it; the controller writes it to standard output).
  package var log: (String) -> Void = { text in FileSystem.writeStdout(text + "\n") }
  /// `md(scope)` → a directory on the node whose files are brought back (workers only).
  package var directory: (String) throws -> String = { _ in throw LuaRaise("mpf.md is for functions that run on a node") }
  /// `run_experiment(spec)` → the dataframe's Lua data (controller only).
  package var runExperiment: (consuming LuaValue) throws -> LuaValue = { _ in throw LuaRaise("mpf.run_experiment is not available here") }
  /// `load(dir)` → a stored experiment's dataframe (controller only).
  package var load: (String) throws -> LuaValue = { _ in throw LuaRaise("mpf.load is for the controller") }
  /// `on(role, index)` → what on-function `index` returned on `role`'s machine (`mpf repl`).
  package var on: (_ role: String, _ index: Int) throws -> LuaValue = { _, _ in throw LuaRaise("mpf.on is for mpf repl") }
  /// `dataframe(operation, df, ...)`: what the `mpf.DataFrame` userdata's methods ask of the
  /// host (`format`, `data`, `len`, `write`); `df` is the dataframe object.
  package var dataframe: (_ operation: String, _ frame: LuaObject, _ arguments: [LuaValue]) throws -> LuaValue = { _, _, _ in
    throw LuaRaise("dataframes exist on the controller only")
  }

  /// Primitives with `exec`; the others keep their defaults until set.
  package init(exec: @escaping (_ command: String, _ background: Bool, _ location: String) throws -> LuaValue) {
    self.exec = exec
  }

}
