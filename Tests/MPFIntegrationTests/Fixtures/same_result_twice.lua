mpf.run{role="a"}(function(ctx)
  return {v = 1}
end)
mpf.run{role="b"}(function(ctx)
  return {v = 2}
end)
mpf.run_experiment{n_runs=1}
