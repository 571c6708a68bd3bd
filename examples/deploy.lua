-- Builds a small C program (examples/spin) on the node of role 'node' at three optimisation
-- levels, and times it at each: the optimisation level is a build variable, so each level is
-- built once, in a folder of its own, and the runs of one build follow each other.
--
--   mpf examples/deploy.lua                       # on this machine
--   mpf examples/deploy.lua -c cluster.yaml       # on the machine of role 'node'
--
-- A second experiment copies nothing and make has nothing to do; edit spin/spin.c and only
-- that file moves and the program is rebuilt.
mpf.add_variable('opt', {'-O0', '-O1', '-O2'})
mpf.software{name = 'spin', roles = {'node'}, dir = 'spin', apt = {'gcc', 'make'}, dnf = {'gcc', 'make'},
  build = {'make OPT=$opt'}}

mpf.run{role = 'node'}(function(ctx)
  local out = ex(ctx.software.spin.dir .. '/spin 20')
  return {time = out[1]:match('^%S+ s')}
end)

local df = mpf.run_experiment{n_runs = 3}
print(df:group_by{'opt'}:agg{time = {'mean', 'ci95'}})
