-- One role on each of 8 machines; each reports its address.
mpf.add_variable('step', {1, 2})
for i = 1, 8 do
  mpf.run{role = 'n' .. i, parallel = i < 8}(function(ctx)
    return {['ip' .. i] = ex('hostname -I')[1]:gsub('%s+$', '')}
  end)
end
local df = mpf.run_experiment{n_runs = 1, seed = 1}
for _, row in ipairs(df.rows) do
  local ips = {}
  for i = 1, 8 do ips[i] = row['ip' .. i] end
  print(table.concat(ips, ' '))
end
