-- An experiment with something to draw: a numeric variable growing by factors (x, log axis),
-- a labelled categorical one (series), repetitions with noise, results with units, one
-- result that only some runs return, a string result, and a run that fails.
-- mpf.args[1] scales goodput (a slower version, for mpf compare).
local factor = tonumber(mpf.args[1]) or 1
mpf.add_variable('size', {64, 256, 1024, 4096, 16384})
mpf.add_variable('mode', {copy = 'copy', ['-Z'] = 'zerocopy'})
mpf.add_variable('cpus', {1, 2})
mpf.run{role = 'r'}(function(ctx, size, mode, cpus)
  if size == 16384 and mode == '-Z' and cpus == 2 and ctx.repetition == 1 then error('link flapped') end
  local base = math.log(size, 2) * cpus * (mode == '-Z' and 1.5 or 1) * factor
  local noise = (ctx.repetition - 1) * 0.05 * base
  local result = {goodput = ('%.3f Gbit/s'):format(base + noise), latency = ('%d us'):format(20 + size // 64 + ctx.repetition),
                  tag = 'v' .. cpus}
  if mode == '-Z' then result.copies = 0 end
  return result
end)
local df = mpf.run_experiment{n_runs = 3, seed = 7}
print(#df, df.failed)
