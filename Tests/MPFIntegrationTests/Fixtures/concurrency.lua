-- A parallel function waits for a file that the next (non-parallel) function creates: it only
-- sees it if both run at the same time. The delayed function records when it started.
local flag = mpf.args[1]
mpf.run{role = 'waiter', parallel = true}(function(ctx)
  local out = ex 'for i in $(seq 200); do [ -e $flag ] && break; sleep 0.05; done; [ -e $flag ] && echo seen'
  return {seen = out[1] == 'seen'}
end)
mpf.run{role = 'maker'}(function(ctx)
  ex 'touch $flag'
  return {made_at = tonumber(ex('date +%s.%N')[1])}
end)
mpf.run{role = 'late', delay = 0.3}(function(ctx)
  ex 'rm -f $flag'
  return {late_at = tonumber(ex('date +%s.%N')[1])}
end)
local df = mpf.run_experiment{n_runs = 2}
for _, row in ipairs(df.rows) do
  print(('seen=%s gap_ok=%s'):format(tostring(row.seen), tostring(row.late_at - row.made_at >= 0.3)))
end
