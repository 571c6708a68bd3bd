-- Text that would drive a terminal or reorder it: escape sequences, a bell, bidi controls
-- (U+202E, U+2066, U+200F) and a NUL, in labels, a result's name and value, an error, a
-- warning, node output and an mpf.md file name. mpf.args[1] == 'raise' ends in an error.
local E, RLO, LRI = '\27', '\u{202E}', '\u{2066}'
mpf.add_variable('mode', {a = 'clear' .. E .. '[2Jscreen' .. RLO, b = 'title' .. E .. ']0;pwned\7'})
print('top' .. E .. '[31m level' .. LRI)
mpf.run{role = 'r'}(function(ctx, mode)
  local f = io.open(mpf.md() .. '/file' .. E .. '[31m' .. RLO .. '.txt', 'w')
  f:write('x')
  f:close()
  ex('mkfifo ' .. mpf.md() .. "/'fifo" .. E .. "[31m'")
  ex('nosuchcommand' .. E .. '[32m' .. RLO)
  if mode == 'b' and ctx.repetition == 0 then error('bell\7 and\27[31m red' .. RLO .. ' nul\0after') end
  return {['rate' .. E .. '[35m' .. RLO] = 1, text = 'val' .. E .. '[33m\u{200F}x'}
end)
local df = mpf.run_experiment{n_runs = 2, seed = 1}
print(df)
df:plot{x = 'mode', y = 'rate' .. E .. '[35m' .. RLO, term = true}
if mpf.args[1] == 'raise' then error('final' .. E .. '[31m' .. RLO .. ' nul\0after') end
