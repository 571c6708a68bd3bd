-- mpf.repl: what `mpf repl` asks of Lua at its prompt (controller only): evaluate a chunk the
-- way the lua interpreter does (an expression is printed; an incomplete chunk asks for more
-- lines), show values readably and bounded, and complete names.

local repl = {}
local R = require 'mpf.registry'

local DataFrame = debug.getregistry()['mpf.DataFrame']
local max_items, max_depth, max_length = 40, 3, 4000

local function is_identifier(s) return type(s) == 'string' and s:match('^[%a_][%w_]*$') ~= nil end

-- A global or mpf.* name the function is known by, when it has one.
local function function_name(fn)
  for name, value in next, _G do
    if value == fn and is_identifier(name) then return name end
  end
  for name, value in next, (type(_G.mpf) == 'table' and _G.mpf or {}) do
    if value == fn and is_identifier(name) then return 'mpf.' .. name end
  end
end

-- A function as text: where it was defined (`function f at stdin:2`, a cell's line, or
-- `exp.lua:7`), or `function: builtin` for Lua's and mpf's own (no address: it says nothing).
local function show_function(fn)
  local info = debug.getinfo(fn, 'S')
  local name = function_name(fn)
  local source = info.source or ''
  if info.what == 'C' or not (source:match('^=stdin') or source:match('^@')) then
    return name and ('function ' .. name .. ': builtin') or 'function: builtin'
  end
  return 'function ' .. (name and (name .. ' ') or '') .. 'at ' .. info.short_src .. ':' .. info.linedefined
end

-- A value as text: strings quoted, tables as constructors (nested ones up to max_depth,
-- max_items entries each), dataframes as their table, functions by where they were defined,
-- userdata by type.
local function show(value, depth, seen)
  local kind = type(value)
  if kind == 'string' then return (string.format('%q', value):gsub('\\\n', '\\n')) end
  if kind == 'function' then return show_function(value) end
  if kind == 'number' or kind == 'boolean' or kind == 'nil' then return tostring(value) end
  if getmetatable(value) == DataFrame then return tostring(value) end
  if kind ~= 'table' then return tostring(value) end
  if seen[value] then return '<cycle>' end
  if depth >= max_depth then return '{...}' end
  seen[value] = true
  local parts, count = {}, 0
  local n = #value
  for i = 1, n do
    count = count + 1
    if count > max_items then break end
    parts[#parts + 1] = show(value[i], depth + 1, seen)
  end
  local keys = {}
  for key in next, value do
    if not (math.type(key) == 'integer' and key >= 1 and key <= n) then keys[#keys + 1] = key end
  end
  table.sort(keys, function(a, b)
    if type(a) == type(b) and (type(a) == 'string' or type(a) == 'number') then return a < b end
    return type(a) < type(b)
  end)
  for _, key in ipairs(keys) do
    count = count + 1
    if count > max_items then break end
    local name = is_identifier(key) and key or ('[' .. show(key, max_depth, seen) .. ']')
    parts[#parts + 1] = name .. ' = ' .. show(value[key], depth + 1, seen)
  end
  seen[value] = nil
  if count > max_items then parts[#parts + 1] = ('... (%d entries)'):format(n + #keys) end
  local text = '{' .. table.concat(parts, ', ') .. '}'
  if #text > max_length then text = text:sub(1, max_length) .. ' ...' end
  return text
end

function repl.show(value) return show(value, 0, {}) end

local function traceback(message)
  if type(message) ~= 'string' then return message end
  return message
end

--- eval(text): 'ok', what to print, the text that ran (for the workers to replay);
--- 'incomplete' when the chunk needs more lines; 'error', the message.
function repl.eval(text)
  -- No experiment runs while the prompt reads a chunk (one that stopped with an error too).
  R.experiment_running = nil
  -- An expression first (printed), as lua.c does; then a statement.
  local chunk, message = load('return ' .. text, '=stdin', 't')
  local ran = 'return ' .. text
  -- A chunk of several lines whose last statement is an expression shows it (a notebook
  -- cell): the first split, from the end, where the lines before are whole statements and the
  -- last lines an expression (at the top level: never a `return` inside a block).
  if not chunk then
    local lines = {}
    for line in (text .. '\n'):gmatch('(.-)\n') do lines[#lines + 1] = line end
    for k = #lines, 2, -1 do
      local before, last = table.concat(lines, '\n', 1, k - 1), table.concat(lines, '\n', k)
      if lines[k]:match('%S') and load('return ' .. last, '=stdin', 't') and load(before, '=stdin', 't') then
        local split = before .. '\nreturn ' .. last
        local fn = load(split, '=stdin', 't')
        if fn then chunk, ran = fn, split; break end
      end
    end
  end
  if not chunk then
    chunk, message = load(text, '=stdin', 't')
    ran = text
  end
  if not chunk then
    if message:match('<eof>$') then return 'incomplete' end
    return 'error', message
  end
  local on_count = #R.on_functions
  repl.last = nil
  local results = table.pack(xpcall(chunk, traceback))
  if not results[1] then
    local err = results[2]
    if type(err) ~= 'string' then err = tostring(err) end
    -- Ctrl-C: say so, wherever it landed (in mpf's own code, often). Workers do not replay an
    -- interrupted chunk (it may not end), so what it gave mpf.on is forgotten here too: the
    -- next mpf.on function has the same number on both sides.
    if err:match('^[^\n]-:%d+: interrupted$') or err == 'interrupted' then
      for i = #R.on_functions, on_count + 1, -1 do R.on_functions[i] = nil end
      return 'error', 'interrupted'
    end
    -- It ran up to its error: workers replay it too, so that what it declared lines up.
    return 'error', err, ran
  end
  repl.last = results.n == 2 and results[2] or nil
  local shown = {}
  for i = 2, results.n do shown[#shown + 1] = show(results[i], 0, {}) end
  return 'ok', table.concat(shown, '\t'), ran
end

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == '\\' then return '\\\\' elseif c == '\n' then return '\\n' end
    return ('\\u%04x'):format(c:byte())
  end) .. '"'
end

local function json_value(v)
  local kind = math.type(v) or type(v)
  if kind == 'integer' or kind == 'boolean' then return tostring(v) end
  if kind == 'float' then return (v == v and v ~= math.huge and v ~= -math.huge) and ('%.17g'):format(v) or 'null' end
  if kind == 'string' then return json_string(v) end
  return 'null'
end

--- display(): how the value the last chunk ended with shows beyond text (`mpf repl
--- --machine`, a notebook): 'dataframe' and its columns and rows as JSON ({columns, data}),
--- variables with labels show their labels, as print(df) does;
--- 'svg' and the path of an SVG file (what df:plot returns); nil for anything else.
function repl.display()
  local value = repl.last
  if getmetatable(value) == DataFrame then
    -- The variables, the repetition, the results, then the run's status and error.
    local columns, data, seen = {}, {}, {}
    local rows, labels = value.rows, value.labels or {}
    local function add(name, always)
      if seen[name] then return end
      local present = always
      for _, row in ipairs(rows) do if present then break end present = row[name] ~= nil end
      if present then seen[name] = true; columns[#columns + 1] = name end
    end
    for _, name in ipairs(value.variables) do add(name, true) end
    add('repetition')
    for _, name in ipairs(value.columns) do add(name, true) end
    add('status'); add('error')
    local names = {}
    for i, name in ipairs(columns) do names[i] = json_string(name) end
    for i, row in ipairs(rows) do
      local cells = {}
      for j, name in ipairs(columns) do
        local shown = labels[name] and labels[name][row[name]]
        cells[j] = json_value(shown == nil and row[name] or shown)
      end
      data[i] = '[' .. table.concat(cells, ',') .. ']'
    end
    local units = {}
    for name, unit in pairs(value.units) do units[#units + 1] = json_string(name) .. ':' .. json_string(unit) end
    table.sort(units)
    return 'dataframe', '{"columns":[' .. table.concat(names, ',') .. '],"units":{' .. table.concat(units, ',')
      .. '},"dir":' .. json_value(value.dir) .. ',"data":[' .. table.concat(data, ',') .. ']}'
  end
  if type(value) == 'string' and value:match('%.svg$') and not value:find('\n') then
    local file = io.open(value, 'r')
    if file then file:close(); return 'svg', value end
  end
  return nil
end

local keywords = {
  'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if', 'in',
  'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while',
}

--- complete(word): the completions of the name being typed (`mpf.ru`, `df:fil`, `pri`),
--- each the whole word.
function repl.complete(word)
  local path, separator, partial = word:match('^(.-)([%.:])([%w_]*)$')
  local candidates = {}
  if path then
    local target = _G
    for name in path:gmatch('[^%.]+') do
      if type(target) ~= 'table' and getmetatable(target) ~= DataFrame then return {} end
      local ok, value = pcall(function() return target[name] end)
      if not ok then return {} end
      target = value
    end
    local seen = {}
    local function add(key)
      if type(key) == 'string' and not seen[key] and key:sub(1, #partial) == partial and is_identifier(key) then
        seen[key] = true
        candidates[#candidates + 1] = path .. separator .. key
      end
    end
    if type(target) == 'table' then for key in next, target do add(key) end end
    if getmetatable(target) == DataFrame then
      for _, key in ipairs({ 'rows', 'columns', 'variables', 'results', 'units', 'labels', 'failed', 'dir', 'id', 'stopped' }) do
        if separator == '.' then add(key) end
      end
    end
    local meta = getmetatable(target)
    if meta and type(meta.__index) == 'table' then for key in next, meta.__index do add(key) end end
    if meta == DataFrame and separator == ':' then
      for _, key in ipairs({ 'filter', 'select', 'sort', 'group_by', 'pivot', 'mutate', 'concat', 'column', 'plot', 'to_csv', 'to_json', 'to_yaml' }) do add(key) end
    end
  else
    for key in next, _G do
      if type(key) == 'string' and key:sub(1, #word) == word and is_identifier(key) then candidates[#candidates + 1] = key end
    end
    for _, key in ipairs(keywords) do
      if key:sub(1, #word) == word then candidates[#candidates + 1] = key end
    end
  end
  table.sort(candidates)
  return candidates
end

return repl
