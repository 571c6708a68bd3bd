-- mpf.registry: what the script declares (variables, functions) and the host's primitives,
-- shared by the parts of mpf's library. The main chunk (mpf.lua) sets `host` and `mode`
-- before it requires the other parts; the tables are filled as the script runs. Scripts never
-- see it: once the library is loaded, its parts leave package.loaded and package.preload.

return {
  host = nil, -- the typed primitives Swift provides (exec, log, md, run_experiment, ...)
  mode = nil, -- 'controller' or 'worker'
  variables = {}, -- list of { name, values, labels, source, line }
  variable_by_name = {},
  functions = {}, -- list of { kind, role, delay, parallel, fn, params, source, line }
  main_thread = nil, -- on a worker: the coroutine of the script's main chunk, suspended
  interactive = false, -- an `mpf repl` session (its controller, or a worker replaying it)
  replaying = false, -- a worker replaying the prompt's chunks: definitions only, no commands
  loading_script = false,
  checking = false, -- mpf check: the script stops at mpf.run_experiment, which reports its problems
  check_report = nil, -- mpf repl loading its script: it stops at mpf.run_experiment
  on_functions = {}, -- mpf repl: the functions given to mpf.on, in order (a worker replays them)
  script_options = nil, -- the options the script gave mpf.run_experiment (mpf repl's defaults)
  parts = {}, -- the library's own modules by name ('mpf.space'), for the parts that need another late
}
