-- Names, labels and values that would run as code or break a file if written unquoted:
-- newlines, quotes, triple quotes, </script>, ]]>, NUL, backslashes, $(...), U+2028, and a
-- Python payload that creates the marker file mpf.args[1]. A graph is drawn by each label.
local marker = mpf.args[1]
local payload = 'import os; open(' .. ('%q'):format(marker) .. ', "w").close()'
local hostile = {
  'nl\n' .. payload,
  'q"uo\'te """\n' .. payload .. '\n"""',
  '</script><b>x</b> ]]> \0nul \\back\\slash\\ $(touch ' .. marker .. ') `touch ' .. marker .. '`',
  'sep\u{2028}' .. payload .. '\r\n' .. payload .. '\r',
}
mpf.add_variable('mode', {a = hostile[1], b = hostile[2], c = hostile[3], d = hostile[4]})
mpf.run{role = 'r'}(function(mode)
  local index = ({a = 1, b = 2, c = 3, d = 4})[mode]
  return {['rate\n' .. payload .. ' """'] = index, text = hostile[index]}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 1}
df:to_csv('export.csv')
