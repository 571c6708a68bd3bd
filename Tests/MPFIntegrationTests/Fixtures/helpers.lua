-- mpf.before / mpf.after around the experiment; wait_port, wait_file and sleep in functions.
local port = tonumber(mpf.args[1])
mpf.add_variable('x', {1, 2})
mpf.before(function(ctx)
  local f = assert(io.open(ctx.experiment.dir .. '/input.txt', 'w'))
  f:write('prepared')
  f:close()
  print('before', ctx.experiment.id, ctx.experiment.dir)
end)
mpf.after(function(df, ctx) print('after', #df, df.dir == ctx.experiment.dir, df.id == ctx.experiment.id) end)
mpf.run{role = 'server'}(function(ctx)
  ex 'sh -c "sleep 0.3; exec iperf3 -s -p $port > /dev/null 2>&1" &'
  return {listening = mpf.wait_port('127.0.0.1', port, 10)}
end)
mpf.run{role = 'client'}(function(ctx, x)
  local started = os.time()
  mpf.sleep(0.05)
  local ok, err = pcall(mpf.wait_port, '127.0.0.1', port + 1, 0.2)
  local file = ctx.experiment.id .. '-' .. x
  ex 'sh -c "sleep 0.2; touch /tmp/$file" &'
  local appeared = mpf.wait_file('/tmp/' .. file, 5)
  os.remove('/tmp/' .. file)
  return {refused = not ok and err:match('nothing accepted connections') ~= nil, appeared = appeared}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 1}
for _, row in ipairs(df.rows) do print(row.x, row.listening, row.refused, row.appeared) end
