-- Builds tags v1 and v2 of a git repository (mpf.args[1]) and measures `latency`: what the
-- built program prints for n (SCALE * n). No seed: the replay must take the stored one.
mpf.add_variable('version', {'v1', 'v2'})
mpf.add_variable('n', {1, 2})
mpf.software{name = 'hello', roles = {'node'}, git = {url = mpf.args[1], ref = '$version'}, build = 'make'}
mpf.run{role = 'node'}(function(ctx, n)
  local out = ex(ctx.software.hello.dir .. '/hello ' .. n)
  return {latency = tonumber(tostring(out):match('(%d+)')), commit = ctx.software.hello.commit}
end)
mpf.run_experiment{n_runs = 2}
