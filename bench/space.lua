-- Planning a large space (bench/run, `mpf plan bench/space.lua`): 6 variables of 10 values,
-- 1 000 000 combinations; mpf.args[1] = 'when' adds a variable that applies to half of them
-- and an exclusion of another quarter, so that the points are listed one by one.
for i = 1, 6 do mpf.add_variable('v' .. i, mpf.range(1, 10)) end
if mpf.args[1] == 'when' then
  mpf.add_variable('w', {1, 2}, {when = function(p) return p.v1 <= 5 end})
  mpf.exclude(function(p) return p.v2 > 5 and p.v3 > 5 end)
end
mpf.run{role = 'node'}(function(v1) return {x = v1} end)
mpf.run_experiment{n_runs = 1}
