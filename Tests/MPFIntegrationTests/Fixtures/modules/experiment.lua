-- A script with helper modules next to it: one required at the top level, one only inside a
-- role function (so only on the worker), one that requires another.
local helpers = require 'helpers'
mpf.add_variable('x', {1, 2})
mpf.run{role = 'node'}(function(x)
  local net = require 'lib.net'
  return {y = helpers.double(x), z = net.describe(x)}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 1}
for _, row in ipairs(df.rows) do print(row.x, row.y, row.z) end
