-- Several mistakes, each of which stopped mpf check at the first; and a typo in ex.
mpf.add_variable('size', {})
mpf.add_variable('rate', mpf.range(1, 'x'))
mpf.add_variable('count', {1, 2})
mpf.run{role = 'a', dely = 1}(function(count) end)
mpf.run{role = 'b'}(function(ctx, count)
  local dir = '/tmp'
  ex 'echo $count $cuont $dir $HOME $PPID; for f in a b; do echo $f; done; x=1; echo $x'
end)
mpf.run_experiment{n_runs = 0}
