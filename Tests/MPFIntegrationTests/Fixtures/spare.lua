-- 30 short runs on every machine of role 'client' (one may be lost and replaced by a spare).
mpf.add_variable('i', mpf.range(1, 30))
mpf.init{role = 'client'}(function(ctx) ex 'true' end)
mpf.run{role = 'client', aggregate = 'sum'}(function(ctx, i)
  ex 'sleep 0.3'
  return {one = 1, ip = ex('hostname -I')[1]:gsub('%s+$', '')}
end)
mpf.run_experiment{n_runs = 1, seed = 1}
