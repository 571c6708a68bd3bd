-- Dataframe verbs from Lua, on an experiment's dataframe and on one loaded back.
mpf.add_variable('a', {1, 2})
mpf.add_variable('z', {[''] = 'off', ['-Z'] = 'on'})
mpf.run{role = 'r'}(function(ctx, a, z) return {t = (a * 10 + ctx.repetition) .. ' ms'} end)
local df = mpf.run_experiment{n_runs = 3, seed = 1}
local g = df:group_by{'a'}:agg{t = {'mean', 'count'}, repetition = function(values) return #values end}
for _, row in ipairs(g.rows) do print(row.a, row.t_mean, row.t_count, row.repetition) end
print(#df:filter{a = 2}, #df:filter(function(row) return row.repetition == 0 end))
print(table.concat(df:sort{'t', desc = true}:select{'t'}:column('t'), ' '))
print(table.concat(df:mutate{double = function(row) return row.a * 2 end}:column('double'), ' '))
local wide = df:pivot{index = 'a', columns = 'z', values = 't'}
print(table.concat(wide.columns, ' '), wide.rows[2].on)
local loaded = mpf.load(df.id)
print(#loaded:concat(df), loaded.id == df.id)
df:select{'nope'}
