-- Results that are not finite numbers (an infinity each way, a NaN) and one at the top of the
-- range, beside finite ones; mpf.args[1] = 'line' plots over a numeric variable as well.
mpf.add_variable('kind', {'huge', 'neg', 'nan', 'big', 'one'})
mpf.add_variable('n', {1, 2})
mpf.run{role = 'r'}(function(kind, n)
  local v = ({huge = math.huge, neg = -math.huge, nan = 0/0, big = 1e308, one = n})[kind]
  return {rate = v, size = n * 1e308}
end)
local df = mpf.run_experiment{n_runs = 2, seed = 1}
print(df)
df:plot{x = 'kind', y = 'rate', term = true}
df:plot{x = 'n', y = 'rate', term = true}
df:plot{x = 'n', y = 'rate', kind = 'scatter', term = true}
df:plot{y = 'rate', kind = 'cdf', term = true}
df:plot{x = 'kind', y = 'rate', kind = 'box', term = true}
df:plot{x = 'kind', y = 'n', kind = 'heatmap', term = true}
