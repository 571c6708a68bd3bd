-- Runs of 0.2 s that each leave a marked background sleep; to be cut in the middle.
local mark = mpf.args[1]
mpf.add_variable('i', mpf.range(1, 100))
mpf.run{role = 'node'}(function(i)
  ex('sleep ' .. mark .. ' &')
  ex 'sleep 0.2'
  return {i2 = i * 2}
end)
mpf.run_experiment{n_runs = 1, seed = 1}
