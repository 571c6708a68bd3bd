-- 40 runs of 0.1 s, to be killed in the middle.
mpf.add_variable('i', mpf.range(1, 40))
mpf.run{role = 'node'}(function(i)
  ex 'sleep 0.1'
  return {square = i * i}
end)
mpf.run_experiment{n_runs = 1}
