-- The highest rate without loss, per buffer size: loss starts above 37 * buffer.
mpf.add_variable('buffer', {1, 2, 4})
mpf.add_variable('rate', mpf.range(1, 200))
mpf.search{var = 'rate', ok = function(row) return row.loss == 0 end}
mpf.run{role = 'node'}(function(buffer, rate) return {loss = rate > 37 * buffer and 1 or 0} end)
local df = mpf.run_experiment{seed = 1}
print(#df, tostring(df:filter{loss = 0}:group_by{"buffer"}:agg{rate = "max"}:column("rate")[3]))
