-- The dataframe is a userdata the script cannot forge or change.
mpf.add_variable('x', {1, 2})
mpf.run{role = 'a'}(function(x) return {y = x * 2} end)
local df = mpf.run_experiment{n_runs = 1, seed = 1}
print(type(df), #df, df.rows[1].y + df.rows[2].y, table.concat(df.columns, ','), getmetatable(df).__name)
print(pcall(rawset, df, 'rows', {}))
local forged = setmetatable({}, getmetatable(df))
print(pcall(function() return forged.rows end))
print(pcall(tostring, forged))
-- Every row carries its repetition and status; a column that does not exist is an error.
print(df.rows[1].repetition, df.rows[1].status, df.rows[1].error)
print(pcall(df.column, df, "typo"))
df:to_yaml(mpf.args[1])
