-- Code a worker cannot stop at its timeout: the controller ends the worker instead, the run is
-- a timeout, and the next runs get a new worker.
mpf.add_variable('case', {'pcall', 'coroutine', 'find', 'closed', 'ok'})
-- 4 s: the 'ok' case (a new worker, then ex) must finish in time on a loaded machine.
mpf.run{role = 'r', timeout = 4}(function(case)
  if case == 'pcall' then
    while true do pcall(function() while true do end end) end
  elseif case == 'coroutine' then
    local co = coroutine.wrap(function() while true do end end)
    co()
  elseif case == 'find' then
    -- A pattern whose matching takes far longer than the timeout, inside one C call.
    string.find(string.rep('a', 200000), '.-.-.-.-b')
  elseif case == 'closed' then
    ex 'exec >&- 2>&-; sleep 100'
  end
  return {pid = tonumber(ex('echo $PPID')[1])}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 5}
for _, row in ipairs(df.rows) do print(row.case, row.status) end
