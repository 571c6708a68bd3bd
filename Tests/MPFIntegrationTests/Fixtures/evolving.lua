-- mpf.args[1]: the highest x; mpf.args[2]: a file whose presence makes x = 2 fail.
local top = tonumber(mpf.args[1]) or 3
local flag = mpf.args[2] or '/nonexistent'
mpf.add_variable('x', mpf.range(1, top))
mpf.run{role = 'node'}(function(x)
  if x == 2 and ex('test -e $flag').code == 0 then error('x = 2 is broken today') end
  return {cube = x * x * x}
end)
print(mpf.run_experiment{n_runs = 2, seed = 4})
