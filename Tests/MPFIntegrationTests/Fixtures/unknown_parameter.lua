mpf.add_variable("x", {1})
mpf.run{role="a"}(function(ctx, y)
end)
mpf.run_experiment{n_runs=1}
