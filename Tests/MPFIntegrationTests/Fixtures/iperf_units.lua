-- Results as the original mpf's iperf example gives them: a rate in Kbits (its `/sec` cut
-- off) and a latency with no unit at all. mpf.args[1] scales the rate (a slower version).
local factor = tonumber(mpf.args[1]) or 1
mpf.add_variable('size', {1, 2})
mpf.run{role = 'r'}(function(ctx, size)
  return {goodput = ('%d Kbits'):format(math.floor((940 + ctx.repetition) * factor * size)), rtt_avg = 5 + ctx.repetition / 10}
end)
mpf.run_experiment{n_runs = 3, seed = 1}
