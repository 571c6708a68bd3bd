-- 400 runs, each with a log and a result, to fill a tiny results disk.
mpf.add_variable('i', mpf.range(1, 400))
mpf.run{role = 'node'}(function(i)
  ex 'echo some output for the log'
  return {text = string.rep('x', 40)}
end)
mpf.run_experiment{n_runs = 1, seed = 1}
