-- Deploys a folder (mpf.args[1]) whose one build step is mpf.args[2], with mpf.args[3] as its
-- build_timeout ('' for the default). mpf.args[4]: roles (comma-separated, default node).
local roles = {}
for role in (mpf.args[4] or 'node'):gmatch('[^,]+') do roles[#roles + 1] = role end
mpf.software{name = 'slow', roles = roles, dir = mpf.args[1], build = mpf.args[2], build_timeout = tonumber(mpf.args[3])}
for _, role in ipairs(roles) do mpf.run{role = role}(function() return {ok = 1} end) end
mpf.run_experiment{n_runs = 1}
