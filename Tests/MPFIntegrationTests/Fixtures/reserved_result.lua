mpf.add_variable('path', {'/a', '/b'})
mpf.run{role = 'web'}(function(path)
  return {status = 404, time = '1 ms'}
end)
mpf.run_experiment{n_runs = 1}
