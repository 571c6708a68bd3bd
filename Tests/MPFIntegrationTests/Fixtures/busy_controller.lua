-- Lua code busy on the controller: mpf.args[1] is 'top' (a loop at the top level), 'on_run'
-- (a loop in on_run) or 'read' (blocked in io.read on a terminal that never answers).
local where = mpf.args[1]
if where == 'top' then
  print('looping')
  while true do end
end
mpf.add_variable('x', mpf.range(1, 20))
mpf.run{role = 'r'}(function(x) return {double = x * 2} end)
mpf.run_experiment{n_runs = 1, on_run = function(df, row)
  print('looping in on_run')
  while true do end
end}
