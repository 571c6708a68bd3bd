-- Every mistake mpf check reports, in one script (mpf.args[1]: a file that must not appear).
mpf.add_variable('size', {1, 2})
ex('touch ' .. mpf.args[1])
print('printed while checking')
mpf.run{role = 'server'}(function(ctx, sise) return {} end)
mpf.init{role = 'clinet'}(function(ctx, size) end)
mpf.run{role = 'client'}(function(ctx, size) return {} end)
mpf.run_experiment{n_run = 2, seed = 'x'}
error('mpf check never gets here')
