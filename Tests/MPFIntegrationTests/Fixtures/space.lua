-- A space with a variable that applies only to one variant, one that applies by a function,
-- excluded combinations and two zipped variables.
mpf.add_variable('variant', {'tcp', 'mptcp'})
mpf.add_variable('scheduler', {'default', 'redundant'}, {when = {variant = 'mptcp'}})
mpf.add_variable('parallel', mpf.geometric(1, 8, 2))
mpf.add_variable('cores', {1, 4})
mpf.add_variable('pin', {true, false}, {when = function(p) return p.cores > 1 end})
mpf.add_variable('rate', mpf.logspace(10, 1000, 3))
mpf.add_variable('burst', function() return {1, 2, 3} end)
mpf.zip('rate', 'burst')
mpf.exclude(function(p) return p.parallel > p.cores end)
mpf.run{role = 'node'}(function(variant, scheduler, parallel, pin, rate, burst)
  return {seen = (scheduler or '-') .. '/' .. tostring(pin) .. '/' .. rate .. '/' .. burst}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 2}
print(#df)
for _, row in ipairs(df.rows) do
  if row.variant == 'tcp' and row.scheduler ~= nil then print('tcp row with a scheduler') end
  if row.cores == 1 and row.pin ~= nil then print('one core row with pin') end
end
