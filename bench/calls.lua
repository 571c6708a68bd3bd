-- mpf.args[1] trivial functions per run on one role, mpf.args[2] runs.
local k = tonumber(mpf.args[1]) or 1
local runs = tonumber(mpf.args[2]) or 1000
mpf.add_variable('i', mpf.range(1, runs))
for f = 1, k do
  mpf.run{role = 'node'}(function(i)
    if f == k then return {double = i * 2} end
  end)
end
mpf.run_experiment{n_runs = 1, seed = 1}
