-- Deploys a C program folder (mpf.args[1]) to the roles' nodes, builds it with make at two
-- scales (a build variable), and runs it. mpf.args[2]: roles (comma-separated, default node);
-- mpf.args[3]: a make target to build instead (to make the build fail).
local roles = {}
for role in (mpf.args[2] or 'node'):gmatch('[^,]+') do roles[#roles + 1] = role end
mpf.add_variable('scale', {1, 10})
mpf.add_variable('n', {1, 2})
mpf.software{name = 'hello', roles = roles, dir = mpf.args[1], apt = {'coreutils'}, dnf = {'coreutils'},
  build = {'make ' .. (mpf.args[3] or 'hello') .. ' SCALE=$scale'}}
for _, role in ipairs(roles) do
  mpf.run{role = role}(function(ctx, n)
    local out = ex(ctx.software.hello.dir .. '/hello $n')
    return {[role] = tonumber(tostring(out):match('(%d+)')), [role .. '_word'] = tostring(out):match('^(%a+)')}
  end)
end
local df = mpf.run_experiment{n_runs = 1, seed = 4}
print(df)
