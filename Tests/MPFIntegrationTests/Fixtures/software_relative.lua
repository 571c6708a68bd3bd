-- mpf.software with a folder relative to the script; every run fails while the file
-- mpf.args[1] exists (the experiment stops at once: on_error = 'stop'), then a resume finishes.
mpf.software{name = 'app', role = 'a', dir = 'app'}
mpf.add_variable('x', {1, 2})
mpf.run{role = 'a'}(function(ctx, x)
  local marker = io.open(mpf.args[1])
  if marker then marker:close() error('stopped on purpose') end
  local f = assert(io.open(ctx.software.app.dir .. '/hello.txt'))
  local text = f:read('l')
  f:close()
  return {text = text}
end)
mpf.run_experiment{n_runs = 1, on_error = 'stop'}
