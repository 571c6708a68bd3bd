-- Deploys a source folder (mpf.args[1]) as a hostile (or unlucky) user could give it: names
-- that look like options, spaces, a newline, symbolic links. mpf.args[2]: roles
-- (comma-separated, default node).
local roles = {}
for role in (mpf.args[2] or 'node'):gmatch('[^,]+') do roles[#roles + 1] = role end
mpf.software{name = 'tree', roles = roles, dir = mpf.args[1], build = {'test -f ./-rf'}}
for _, role in ipairs(roles) do
  mpf.run{role = role}(function(ctx) return {[role] = ctx.software.tree.dir} end)
end
mpf.run_experiment{n_runs = 1}
