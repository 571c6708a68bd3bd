-- Adaptive repetitions: the quiet point converges at min, the noisy one runs to max.
mpf.add_variable('kind', {'quiet', 'noisy'})
mpf.run{role = 'node'}(function(ctx, kind)
  if kind == 'quiet' then return {v = 100 + (ctx.repetition % 2) * 0.1} end
  -- Alternating far apart: its interval never gets within 5% of the mean.
  return {v = (ctx.repetition % 2 == 0) and 10 or 190}
end)
local df = mpf.run_experiment{n_runs = {min = 3, max = 9, until_ci = 0.05, on = 'v'}, seed = 1}
print(#df:filter{kind = 'quiet'}, #df:filter{kind = 'noisy'})
