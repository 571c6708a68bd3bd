-- 30 short runs on one node (with an init function, redone after a reconnection).
mpf.add_variable('i', mpf.range(1, 30))
mpf.init{role = 'node'}(function(ctx) ex 'true' end)
mpf.run{role = 'node'}(function(i)
  ex 'sleep 0.1'
  return {i2 = i * 2}
end)
mpf.run_experiment{n_runs = 1, seed = 1}
