-- Choosing points (bench, `mpf plan bench/design.lua -- KIND`): 100 points among 9 604
-- candidates in 5 dimensions (7×7×7×7×4) by random sampling, Latin hypercube or WSP.
for i = 1, 4 do mpf.add_variable('x' .. i, mpf.range(1, 7)) end
mpf.add_variable('x5', mpf.range(1, 4))
mpf.run{role = 'node'}(function(x1) return {v = x1} end)
mpf.run_experiment{n_runs = 1, seed = 3, design = {kind = mpf.args[1] or 'wsp', points = 100}}
