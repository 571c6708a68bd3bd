mpf.init{role = 'a'}(function(ctx)
  ex 'echo init-output; exit 3'
  print('init printed')
  error('init broke')
end)
mpf.run{role = 'a'}(function() return {x = 1} end)
mpf.run_experiment{n_runs = 1}
