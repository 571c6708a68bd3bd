-- Runs of 30 s that each leave a background sleep (mpf.args[1] is its duration, a marker):
-- long enough that no run can end on its own while a test stops it, however loaded the machine.
mpf.add_variable('i', mpf.range(1, 10))
mpf.run{role = 'node'}(function(i)
  ex('sleep ' .. mpf.args[1] .. ' &')
  ex 'sleep 30'
  return {i2 = i * 2}
end)
mpf.run_experiment{n_runs = 1, seed = 1}
