-- Each run starts daemons that end on their own before the run ends (and the README's
-- `iperf3 -D -s -1` with its client), then writes how many zombie children the worker has.
-- mpf.args[1]: the file the counts go to; mpf.args[2]: a free port for iperf3 ('' for none).
local counts, port = mpf.args[1], mpf.args[2] or ''
mpf.add_variable('step', mpf.range(1, 30))
mpf.run{role = 'node'}(function(step)
  ex 'sh -c "sleep 0.01 &"'
  ex "(setsid sh -c 'sleep 0.02' > /dev/null 2>&1 < /dev/null &)"
  if port ~= '' then
    ex 'iperf3 -D -s -1 -p $port > /dev/null'
    ex 'for i in $(seq 100); do iperf3 -c 127.0.0.1 -p $port -n 100K > /dev/null 2>&1 && break; sleep 0.02; done'
  end
  ex 'sleep 0.1'
  ex 'for c in $(cat /proc/$PPID/task/*/children); do grep -q "^State:.Z" /proc/$c/status 2>/dev/null && echo $c; done | wc -l >> $counts'
end)
mpf.run_experiment{n_runs = 1, seed = 3}
