-- One iperf3 server, every client machine sends to it at once: the total goodput is the sum.
mpf.add_variable('parallel', {1, 2})

mpf.run{role = 'server', parallel = true}(function(ctx)
  -- One server port per client machine: iperf3 serves one test at a time.
  for i = 1, ctx.roles.client.count do ex('iperf3 -s -1 -D -p ' .. (5200 + i)) end
end)

mpf.run{role = 'client', delay = 0.5, aggregate = {goodput = 'sum', retransmits = 'max'}}(function(ctx, parallel)
  local server = ctx.roles.server.interfaces[1].ip
  local port = 5200 + ctx.node.index
  local out = ex('iperf3 -f k -t 1 -P $parallel -p $port -c $server | grep -E "sender$" | tail -n 1')
  local rate = out[1]:match('([%d.]+ Kbits/sec)')
  return {goodput = rate:gsub('/sec', '/s'), retransmits = tonumber(out[1]:match('sec%s+(%d+)%s+sender')) or 0,
          node = ctx.node.name .. '/' .. ctx.node.count}
end)

local df = mpf.run_experiment{n_runs = 1, seed = 2}
for _, row in ipairs(df.rows) do
  local sum = 0
  for name, value in pairs(row) do
    if name:match('^goodput@') then sum = sum + value end
  end
  print(('total %.0f sum %.0f'):format(row.goodput, sum))
end
