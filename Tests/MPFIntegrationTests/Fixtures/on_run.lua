-- on_run sees each run as it arrives, with the dataframe so far.
mpf.add_variable('x', mpf.range(1, 4))
mpf.run{role = 'node'}(function(x) return {sq = x * x} end)
local seen = {}
local kept
local df = mpf.run_experiment{n_runs = 1, seed = 1, on_run = function(df, row)
  seen[#seen + 1] = ('%d:%d:%d:%s'):format(#df, row.x, row.sq, row.status)
  -- A dataframe kept for later stays the runs it was handed with, whatever came after.
  if #seen == 2 then kept = df end
end}
print(table.concat(seen, ' '))
print(#df)
print(#kept, table.concat(kept:column('x'), ','), table.concat(kept:column('sq'), ','))
