-- A result whose unit changes between runs: a time, then a rate.
mpf.add_variable('x', {1, 2, 3})
mpf.run{role = 'r'}(function(x)
  if x == 1 then return {speed = '5 ms'} end
  return {speed = x .. ' Mbit/s'}
end)
mpf.run_experiment{n_runs = 1, seed = 1}
