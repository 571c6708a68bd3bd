-- 40 runs of 0.25 s (10 s in all), to be killed in the middle: long enough that a loaded
-- machine cannot finish it before the test acts.
mpf.add_variable('i', mpf.range(1, 40))
mpf.run{role = 'node'}(function(i)
  ex 'sleep 0.25'
  return {square = i * i}
end)
mpf.run_experiment{n_runs = 1}
