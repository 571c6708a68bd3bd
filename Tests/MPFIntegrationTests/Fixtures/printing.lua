print('top level on the controller')
mpf.run{role = 'chatty'}(function(ctx)
  print('hello from', ctx.role)
  io.write('raw bytes on fd 1\n')
  io.stdout:flush()
  return {ok = true}
end)
local df = mpf.run_experiment{n_runs = 1}
print(df)
df:to_csv(mpf.args[1])
