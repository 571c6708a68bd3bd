-- A node's Lua code reading stdin: at the top level (every worker runs it) and in a function.
-- mpf.args[1] = 'busy': the function loops in Lua for ever instead.
local line = io.read()
mpf.add_variable('x', {1, 2})
mpf.run{role = 'r'}(function(x)
  if mpf.args[1] == 'busy' then
    print('busy')
    while true do end
  end
  return {got = tostring(io.read()), top = tostring(line)}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 1}
print(df:column('got')[1], df:column('top')[1])
