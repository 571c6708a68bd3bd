mpf.add_variable("x", {1})
mpf.run{role="a"}(function(x)
  return 42
end)
mpf.run_experiment{n_runs=1}
