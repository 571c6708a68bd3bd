-- mpf.software misused: the case named by mpf.args[1].
local case = mpf.args[1]
if case == 'nosource' then
  mpf.software{name = 'x', roles = {'node'}, build = {'make'}}
elseif case == 'unknown' then
  mpf.software{name = 'x', roles = {'node'}, dir = '.', bulid = {'make'}}
elseif case == 'package' then
  mpf.software{name = 'x', roles = {'node'}, dir = '.', apt = {'-oAPT::x=1'}}
elseif case == 'twice' then
  mpf.software{name = 'x', role = 'node', dir = '.'}
  mpf.software{name = 'x', role = 'node', dir = '.'}
elseif case == 'missing' then
  mpf.software{name = 'x', role = 'node', dir = 'no/such/folder'}
end
mpf.run{role = 'node'}(function() return {v = 1} end)
mpf.run_experiment{n_runs = 1}
