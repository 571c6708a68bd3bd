-- TCP goodput between an iperf3 server and client, by number of parallel streams and with or
-- without zero copy. Without -c both roles run on this machine over loopback.
--
--   mpf examples/iperf.lua                  2-second tests, 3 runs of each of 16 points
--   mpf examples/iperf.lua -n 1 -- 1        1-second tests, one run of each point

local duration = tonumber(mpf.args[1]) or 2

mpf.add_variable('parallel', mpf.range(1, 8))
mpf.add_variable('zerocopy', {[''] = 'disabled', ['-Z'] = 'enabled'})

mpf.run{role = 'server'}(function(ctx)
  ex 'iperf3 -D -s -1 > /dev/null'
end)

mpf.run{role = 'client', delay = 1}(function(ctx, parallel, zerocopy)
  local server = ctx.roles.server.interfaces[1].ip
  local out = ex 'iperf3 -f k -t $duration -P $parallel $zerocopy -c $server | tail -n 3 | grep -ioE "[0-9.]+ [kmg]bits/sec"'
  return {goodput = out[1]}
end)

local df = mpf.run_experiment()
print(df)
