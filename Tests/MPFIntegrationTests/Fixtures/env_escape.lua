-- Processes that shed their environment (env -i) or their session (setsid) and detach: each
-- run starts them and counts those the previous runs started (they must be gone).
-- mpf.args[1] = N: the sleeps last N and N + 1 seconds, so that the test can find them.
local n = tonumber(mpf.args[1])
local m = n + 1
mpf.add_variable('step', mpf.range(1, 3))
mpf.run{role = 'node'}(function(step)
  local alive = #ex("pgrep -x -f 'sleep ($n|$m)' || true")
  ex "env -i sh -c 'sleep $n > /dev/null 2>&1 < /dev/null &'"
  ex "setsid env -i sleep $m > /dev/null 2>&1 < /dev/null &"
  ex 'sleep 0.2'
  return {leaked = alive, started = #ex("pgrep -x -f 'sleep ($n|$m)' || true")}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 3}
print(table.concat(df:column('leaked'), ' '), table.concat(df:column('started'), ' '))
