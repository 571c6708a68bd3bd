-- A function on every machine of role 'node' (as many as the cluster gives), twice; each says
-- where it runs; `one` sums to the number of machines.
mpf.add_variable('step', {1, 2})
mpf.init{role = 'node'}(function(ctx) ex 'true' end)
mpf.run{role = 'node', aggregate = {one = 'sum'}}(function(ctx, step)
  return {one = 1, ip = ex('hostname -I')[1]:gsub('%s+$', ''), index = ctx.node.index}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 1}
for _, row in ipairs(df.rows) do print('machines ' .. row.one) end
