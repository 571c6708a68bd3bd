-- Builds two refs of a git repository (mpf.args[1]) as a build variable, and runs each.
mpf.add_variable('version', {'v1', 'v2'})
mpf.software{name = 'hello', roles = {'node'}, git = {url = mpf.args[1], ref = '$version'}, build = 'make'}
mpf.run{role = 'node'}(function(ctx)
  return {word = tostring(ex(ctx.software.hello.dir .. '/hello 1')):match('^(%a+)'), commit = ctx.software.hello.commit}
end)
local df = mpf.run_experiment{n_runs = 2, seed = 1}
print(df:select{'version', 'word'})
