-- mpf.load of a stored experiment and group_by + mean over its rows, then over ten copies of
-- them (1 000 000 rows for a 100 000-run experiment): bench/results runs it.
local experiment = assert(mpf.args[1], 'usage: mpf bench/load.lua -- EXPERIMENT_DIR')
local t0 = os.clock()
local df = mpf.load(experiment)
local t1 = os.clock()
local by_one = df:group_by{'i'}:agg{double = 'mean'}
local t2 = os.clock()
local big = df
for _ = 1, 9 do big = big:concat(df) end
big = big:mutate{a = function(row) return row.i % 7 end, b = function(row) return row.i % 11 end}
local t3 = os.clock()
local by_three = big:group_by{'a', 'b', 'repetition'}:agg{double = 'mean'}
local t4 = os.clock()
print(('mpf.load of %d runs: %.0f ms'):format(#df, (t1 - t0) * 1000))
print(('group_by 1 key + mean, %d rows, %d groups: %.0f ms'):format(#df, #by_one, (t2 - t1) * 1000))
print(('group_by 3 keys + mean, %d rows, %d groups: %.0f ms (building them: %.0f ms)'):format(
  #big, #by_three, (t4 - t3) * 1000, (t3 - t2) * 1000))
