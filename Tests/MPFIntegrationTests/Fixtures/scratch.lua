-- Where a worker keeps its files (mpf.md) while a run goes on.
mpf.run{role = 'a'}(function() return {md = mpf.md('run')} end)
local df = mpf.run_experiment{n_runs = 1}
print(df.rows[1].md)
