mpf.run{link = 'wan'}(function(ctx) return {seen = ctx.interface.name} end)
mpf.run_experiment{n_runs = 1}
