-- mpf.shell: ex (with $name interpolation) and mpf.md.

local util = require 'mpf.util'
local raise = util.raise
local where, label_of = util.where, util.label_of
local R = require 'mpf.registry'
local debug = debug -- the whole library: scripts get a smaller one (mpf.lua)
local host = R.host

local shell = {}

-- Adds the active locals of stack `level` to `names` (later ones shadow earlier ones): of
-- `thread` when given, else of the current thread, `level` seen from the caller.
local function add_locals(names, thread, level)
  local i = 1
  while true do
    local name, value
    if thread then name, value = debug.getlocal(thread, level, i) else name, value = debug.getlocal(level + 1, i) end
    if name == nil then return names end
    if name:sub(1, 1) ~= '(' then names[name] = value end
    i = i + 1
  end
end

-- The names visible from the function at stack `level` (seen from the caller of this
-- function): its upvalues, then its active locals, which shadow them.
local function visible_names(level)
  level = level + 1
  local names = {}
  local info = debug.getinfo(level, 'f')
  if info and info.func then
    local i = 1
    while true do
      local name, value = debug.getupvalue(info.func, i)
      if name == nil then break end
      names[name] = value
      i = i + 1
    end
  end
  add_locals(names, nil, level) -- not a tail call: that would drop this frame and shift levels
  return names
end

-- The script's top-level locals, as they are when the experiment starts (on a worker) or now
-- (on the controller): a function may name them in ex without mentioning them in Lua.
local function script_locals()
  local names = {}
  local level = 1
  while true do
    local info
    if R.main_thread then info = debug.getinfo(R.main_thread, level, 'S') else info = debug.getinfo(level, 'S') end
    if info == nil then return names end
    if info.what == 'main' and info.source:sub(1, 1) == '@' then
      add_locals(names, R.main_thread, level) -- not a tail call (levels)
      return names
    end
    level = level + 1
  end
end

--- mpf.quote(s): `s` as one shell word (single-quoted; a `'` inside is written '\'').
function shell.quote(value)
  if type(value) == 'number' then value = label_of(value) end
  if type(value) ~= 'string' and type(value) ~= 'boolean' then
    raise('mpf.quote expects a string, a number or a boolean, got ' .. type(value))
  end
  return "'" .. tostring(value):gsub("'", "'\\''") .. "'"
end

-- Expands, in a command for ex:
--   $name and ${name}   the value of a Lua name: the caller's locals and upvalues, then the
--                       script's top-level locals, then the globals; names Lua does not know
--                       stay for the shell ($HOME);
--   $'name'             the same value, quoted as one shell word (mpf.quote);
--   ${expression}       any Lua expression over those names (${rate * 2}, ${ctx.role}).
local function interpolate(cmd, names, location)
  local top_level
  local function lookup(name)
    local value = names[name]
    if value == nil then
      top_level = top_level or script_locals()
      value = top_level[name]
    end
    if value == nil then value = rawget(_G, name) end
    return value
  end
  local function text(value, what)
    local t = type(value)
    if t == 'string' then return value end
    if t == 'number' then return label_of(value) end
    if t == 'boolean' then return tostring(value) end
    error(("%s: ex: cannot expand %s: it is a %s"):format(location, what, t), 0)
  end
  local scope = setmetatable({}, { __index = function(_, name) return lookup(name) end })
  local function expression(braced)
    local source = braced:sub(2, -2)
    if source:match('^[%a_][%w_]*$') then
      local value = lookup(source)
      if value == nil then return '$' .. braced end
      return text(value, '${' .. source .. '}')
    end
    local chunk, problem = load('return ' .. source, '=ex', 't', scope)
    if not chunk then
      error(("%s: ex: cannot expand ${%s}: %s"):format(location, source, (problem:gsub('^ex:%d+: ', ''))), 0)
    end
    local ok, value = pcall(chunk)
    if not ok then
      error(("%s: ex: cannot expand ${%s}: %s"):format(location, source, (tostring(value):gsub('^ex:%d+: ', ''))), 0)
    end
    return text(value, '${' .. source .. '}')
  end
  local function quoted(whole, name)
    local value = lookup(name)
    if value == nil then return whole end
    return shell.quote(text(value, "$'" .. name .. "'"))
  end
  local function plain(whole, name)
    local value = lookup(name)
    if value == nil then return whole end
    return text(value, '$' .. name)
  end
  cmd = cmd:gsub('%$(%b{})', expression)
  cmd = cmd:gsub("(%$'([%a_][%w_]*)')", quoted)
  cmd = cmd:gsub('(%$([%a_][%w_]*))', plain)
  return cmd
end

-- mpf check: names a `$name` of `ex` may expand to without Lua knowing them at check time:
-- what a run's ctx holds, and what a command sets for itself.
local ctx_fields = { ctx = true, mpf_ctx = true, role = true, roles = true, run = true, repetition = true,
                     node = true, kind = true, interface = true, experiment = true, software = true }
-- What the shell sets itself, environment or not.
local shell_variables = { PPID = true, RANDOM = true, LINENO = true, IFS = true, OPTIND = true, OPTARG = true,
                          PWD = true, OLDPWD = true, HOME = true, PATH = true, SECONDS = true, REPLY = true,
                          UID = true, EUID = true, HOSTNAME = true, USER = true, SHELL = true, TMPDIR = true }

-- The edit distance of two short names (for "did you mean").
local function distance(a, b)
  local previous = {}
  for j = 0, #b do previous[j] = j end
  for i = 1, #a do
    local current = { [0] = i }
    for j = 1, #b do
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      current[j] = math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
    end
    previous = current
  end
  return previous[#b]
end

--- mpf check: the `$name`s in the `ex` commands written in function `fn` that nothing would
--- expand: not one of `known` (parameters, variables), a name the function or the script
--- declares, a global, a ctx field, a variable the command sets itself, nor an environment
--- variable. Each as {line =, name =, hint =}; the function's text is read from its file.
function shell.unknown_names(fn, known)
  local info = debug.getinfo(fn, 'S')
  if not info or info.source:sub(1, 1) ~= '@' or info.linedefined < 1 then return {} end
  local file = io.open(info.source:sub(2), 'r')
  if not file then return {} end
  local lines = {}
  for line in file:lines() do lines[#lines + 1] = line end
  file:close()
  local names = {}
  for name in pairs(known) do names[name] = true end
  local i = 1
  while true do
    local name = debug.getupvalue(fn, i)
    if name == nil then break end
    names[name] = true
    i = i + 1
  end
  -- Names the script declares or assigns anywhere (its top-level locals, globals set in a
  -- function), and the function's own (locals, loop variables, inner parameters): lenient, so
  -- that only a name written nowhere is said.
  local body = table.concat(lines, '\n')
  for list in body:gmatch('local%s+([%a_][%w_%s,]*)') do for name in list:gmatch('[%a_][%w_]*') do names[name] = true end end
  for list in body:gmatch('for%s+([%a_][%w_%s,]*)') do for name in list:gmatch('[%a_][%w_]*') do names[name] = true end end
  for list in body:gmatch('function%s*[%w_.:]*%s*%(([^)]*)%)') do for name in list:gmatch('[%a_][%w_]*') do names[name] = true end end
  for name in body:gmatch('([%a_][%w_]*)%s*=[^=]') do names[name] = true end
  local found = {}
  for offset = 0, info.lastlinedefined - info.linedefined do
    local line = lines[info.linedefined + offset] or ''
    local call = line:match('%f[%w_]ex%s*%(?%s*(.*)$')
    if call then
      -- What the command sets itself (`x=1; echo $x`, `for f in ...`, `read a b`).
      local own = {}
      for name in call:gmatch('([%a_][%w_]*)=') do own[name] = true end
      for name in call:gmatch('for%s+([%a_][%w_]*)%s+in') do own[name] = true end
      for list in call:gmatch('read%s+([%w_%s%-]+)') do for name in list:gmatch('[%a_][%w_]*') do own[name] = true end end
      local seen = {}
      local function check(name)
        if seen[name] or names[name] or own[name] or ctx_fields[name] or shell_variables[name] or rawget(_G, name) ~= nil or os.getenv(name) then return end
        seen[name] = true
        local hint, best = nil, 3
        for candidate in pairs(names) do
          local d = distance(name, candidate)
          if d < best then hint, best = candidate, d end
        end
        found[#found + 1] = { line = info.linedefined + offset, name = name, hint = hint, source = info.source:sub(2) }
      end
      for name in call:gmatch("%$'([%a_][%w_]*)'") do check(name) end
      for name in call:gmatch('%${([%a_][%w_]*)}') do check(name) end
      for name in call:gmatch('%$([%a_][%w_]*)') do check(name) end
    end
  end
  return found
end

local ExResult = {}
ExResult.__index = ExResult
ExResult.__tostring = function(r) return table.concat(r, '\n') end

--- ex(cmd): runs cmd through sh -c; returns its stdout lines with .code and .stderr.
function shell.ex(cmd)
  if type(cmd) ~= 'string' then raise('ex expects a command string, got ' .. type(cmd)) end
  if R.replaying or R.checking then return setmetatable({ code = 0, stderr = '' }, ExResult) end
  local location = where(2)
  local expanded = interpolate(cmd, visible_names(2), location)
  local background = false
  local head = expanded:match('^(.-)%s*&%s*$')
  if head and not head:match('&$') then background, expanded = true, head end
  local r = host.exec(expanded, background, location)
  local out = r.lines
  out.code, out.stderr, out.cut = r.code, r.stderr, r.cut
  return setmetatable(out, ExResult)
end

--- mpf.md(scope): a directory on the node for files of this experiment ('exp'), run ('run',
--- the default; 'role' is the same folder, as each role has its own worker) or function
--- ('fun'). Its files are brought back into the experiment's directory.
function shell.md(scope)
  scope = scope or 'run'
  if type(scope) ~= 'string' then raise('mpf.md expects a scope: exp, run, role or fun') end
  local ok, path = pcall(host.md, scope)
  if not ok then raise(path) end
  return path
end

return shell
