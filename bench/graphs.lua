-- 10 000 runs: 1 000 points (100 sizes × 10 modes) × 10 repetitions, two results with units.
mpf.add_variable('size', mpf.range(1, 100))
mpf.add_variable('mode', {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'})
mpf.run{role = 'node'}(function(size, mode) return {rate = (size * 10 + #mode) .. ' Mbits/s', latency = (size / 10) .. ' ms'} end)
mpf.run_experiment{n_runs = 10, seed = 1}
