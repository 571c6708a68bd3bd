-- Text that would drive a terminal: a label with an escape sequence, an error that prints one.
mpf.add_variable('mode', {a = 'clear\27[2Jscreen', b = 'title\27]0;pwned\7'})
mpf.run{role = 'r'}(function(mode)
  if mode == 'b' then error('bell\7 and\27[31m red') end
  return {v = 1}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 1}
print(df)
