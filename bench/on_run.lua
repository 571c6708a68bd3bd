-- mpf.args[1] runs of one trivial function, each handed to on_run (docs/performance.md, "on_run").
local runs = tonumber(mpf.args[1]) or 1000
mpf.add_variable('i', mpf.range(1, runs))
mpf.run{role = 'node'}(function(i) return {double = i * 2} end)
local seen = 0
mpf.run_experiment{n_runs = 1, seed = 1, on_run = function(df, row) seen = seen + row.double end}
print(seen)
