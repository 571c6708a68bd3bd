mpf.run{role="a"}(function(ctx)
  error("boom")
end)
mpf.run_experiment{n_runs=2, seed=1}
