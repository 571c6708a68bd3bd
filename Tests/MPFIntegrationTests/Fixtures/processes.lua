-- Each run starts a background sleep and a detached daemon, and checks that the ones the
-- previous runs started are gone. mpf.args[1]: the file where pids are collected.
local pids = mpf.args[1]
mpf.add_variable('step', mpf.range(1, 4))
mpf.run{role = 'node'}(function(step)
  local alive = 0
  for _, pid in ipairs(ex 'cat $pids 2>/dev/null') do
    if ex('kill -0 ' .. pid .. ' 2>/dev/null').code == 0 then alive = alive + 1 end
  end
  ex 'sleep 1000 &'
  -- The background command may not have reached its sleep yet: wait for it (up to 2 s).
  ex 'for i in $(seq 200); do pgrep -n -f "^sleep 1000$" >> $pids && break; sleep 0.01; done'
  ex 'setsid sh -c "sleep 1001" > /dev/null 2>&1 < /dev/null & echo $! >> $pids'
  return {leaked = alive}
end)
print(mpf.run_experiment{n_runs = 1, seed = 3})
