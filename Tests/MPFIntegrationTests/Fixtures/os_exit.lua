-- os.exit in a role function fails the run (the worker lives on), never a "lost node".
mpf.add_variable('x', {1, 2})
mpf.run{role = 'a'}(function(x)
  if x == 1 then os.exit(3) end
  return {y = x}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 1}
for _, row in ipairs(df.rows) do print(row.x, row.status, row.y, row.error) end
