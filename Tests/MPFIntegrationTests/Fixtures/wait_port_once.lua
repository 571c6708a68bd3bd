-- The README's pattern with a server that takes one connection (iperf3 -s -1): the server's
-- function waits for its own port, which takes no connection from it, so the client gets it.
local port = tonumber(mpf.args[1])
mpf.run{role = 'server'}(function(ctx)
  ex 'iperf3 -D -s -1 -p $port > /dev/null'
  mpf.wait_port('127.0.0.1', port, 5)
  mpf.wait_port(ctx.roles.server.interfaces[1].ip, port, 5)  -- twice: still not consumed
end)
mpf.run{role = 'client'}(function(ctx)
  local out = ex 'iperf3 -t 1 -p $port -c 127.0.0.1 -f k | tail -n 3 | grep -ioE "[0-9.]+ [kmg]bits/sec" | head -n 1'
  return {goodput = out[1]}
end)
local df = mpf.run_experiment{n_runs = 2}
for _, row in ipairs(df.rows) do print(row.status, row.goodput ~= nil) end
