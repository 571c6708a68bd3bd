-- on_run prints while the progress bar is on a terminal: each line above the bar.
mpf.add_variable('x', {1, 2, 3})
mpf.run{role = 'a'}(function(x) mpf.sleep(0.2) return {y = x} end)
mpf.run_experiment{n_runs = 1, seed = 1, on_run = function(df, row) print('seen run', row.x) end}
print('done')
