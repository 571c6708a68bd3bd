mpf.run{role="a"}(function(ctx)
  return {ip = ctx.roles.srv.interfaces[1].ip}
end)
mpf.run_experiment{n_runs=1}
