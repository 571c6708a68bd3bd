-- A worker with a scratch folder (a background command) that writes its pid to mpf.args[1],
-- then waits: the test tells it to end.
pidfile = mpf.args[1]
mpf.run{role = 'a'}(function()
  ex 'sleep 100 &'
  ex 'echo $PPID > $pidfile.tmp && mv $pidfile.tmp $pidfile'
  mpf.sleep(30)
end)
mpf.run_experiment{n_runs = 1}
