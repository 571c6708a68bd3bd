mpf.run{role="a"}(function(ctx)
  local r = ex "iperf9 -c x"
  return {code = r.code}
end)
mpf.run_experiment{n_runs=1}
