mpf.run{role="a"}(function(ctx)
  local r = ex "iperf9 -c x"
  local p = ex "iperf8 -c x | wc -l"
  return {code = r.code, piped = p.code}
end)
mpf.run_experiment{n_runs=1}
