-- One server and every other machine a client: each client reaches the server's address.
mpf.add_variable('step', {1, 2})
mpf.run{role = 'server'}(function(ctx)
  return {server_ip = ex('hostname -I')[1]:gsub('%s+$', '')}
end)
mpf.run{role = 'client', aggregate = {reached = 'sum'}}(function(ctx)
  local server = ctx.roles.server.interfaces[1].ip
  local ok = ex('timeout 2 bash -c "echo > /dev/tcp/$server/22" 2>/dev/null && echo open')
  return {reached = ok[1] == 'open' and 1 or 0, ip = ex('hostname -I')[1]:gsub('%s+$', '')}
end)
mpf.run_experiment{n_runs = 1, seed = 1}
