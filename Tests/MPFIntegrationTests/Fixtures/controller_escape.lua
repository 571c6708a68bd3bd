-- Processes started on the controller (after the experiment) that shed their environment
-- (env -i) and their session (setsid) and detach: they must end with mpf.
-- mpf.args[1] = N: the sleeps last N and N + 1 seconds, so that the test can find them.
local n = tonumber(mpf.args[1])
local m = n + 1
mpf.add_variable('step', mpf.range(1, 2))
mpf.run{role = 'node'}(function(step) return {v = step} end)
mpf.run_experiment{n_runs = 1, seed = 3}
ex "env -i sh -c 'sleep $n > /dev/null 2>&1 < /dev/null &'"
ex "setsid env -i sleep $m > /dev/null 2>&1 < /dev/null &"
ex 'sleep 0.2'
print(#ex("pgrep -x -f 'sleep ($n|$m)' || true"))
