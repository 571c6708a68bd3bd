-- One run whose function calls ex 'true' mpf.args[1] times (0: none).
local n = tonumber(mpf.args[1]) or 1000
mpf.run{role = 'node'}(function()
  for _ = 1, n do ex 'true' end
end)
mpf.run_experiment{n_runs = 1, seed = 1}
