-- The run of x = 3 fails; on_error = 'stop' ends the experiment there.
mpf.add_variable('x', mpf.range(1, 6))
mpf.run{role = 'node'}(function(x)
  if x == 3 then error('x = 3 fails') end
  return {y = x}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 1, on_error = 'stop'}
-- The script goes on with the runs done, and knows why the experiment stopped.
print(#df, df.stopped)
