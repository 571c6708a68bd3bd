-- Prints a line per run: run through `| head -n 1`, its reader leaves after the first.
mpf.add_variable('x', mpf.range(1, 20))
mpf.run{role = 'a'}(function(x) return {y = x} end)
local df = mpf.run_experiment{n_runs = 1, on_run = function(df, row) print('run', row.x) end}
print(df)
