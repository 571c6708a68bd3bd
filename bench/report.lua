-- 100 000 runs to open in report.html (bench/report-open): 1 000 points (size × mode × cpus)
-- × 100 repetitions, two results with units.
mpf.add_variable('size', mpf.range(1, 50))
mpf.add_variable('mode', {'copy', 'zerocopy', 'splice', 'mmap', 'sendfile'})
mpf.add_variable('cpus', {1, 2, 4, 8})
mpf.run{role = 'r'}(function(ctx, size, mode, cpus)
  return {time = ('%.6f s'):format(size / cpus * (1 + ctx.repetition % 7 / 100)), rate = ('%d bits/s'):format(size * cpus * 1000000 + ctx.repetition)}
end)
mpf.run_experiment{n_runs = tonumber(mpf.args[1]) or 100, seed = 1}
