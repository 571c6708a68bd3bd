-- A command past its deadline, a Lua loop past it, a flaky function saved by its retries, a fine one.
-- 1.5 s: the command must have printed its first line by its deadline on a loaded machine.
mpf.add_variable('mode', {'sleep', 'spin', 'flaky', 'fine'})
local tries = 0
mpf.run{role = 'node', timeout = 1.5, retries = 2}(function(mode)
  if mode == 'sleep' then
    local out = ex 'echo partial; sleep 30; echo never'
  elseif mode == 'spin' then
    while true do end
  elseif mode == 'flaky' then
    tries = tries + 1
    if tries % 3 ~= 0 then error('flaky failure ' .. tries) end
  end
  return {ok = true}
end)
print(mpf.run_experiment{n_runs = 1, seed = 2})
