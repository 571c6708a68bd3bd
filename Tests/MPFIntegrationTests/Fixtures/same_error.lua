-- Every run fails with the same error at the same line.
mpf.add_variable('x', mpf.range(1, 6))
mpf.run{role='a'}(function(x)
  local t = nil
  return {y = t.field + x}
end)
mpf.run_experiment{n_runs = 2}
