-- mpf.shell: ex (with $name interpolation) and mpf.md.

local util = require 'mpf.util'
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
    error('mpf.quote expects a string, a number or a boolean, got ' .. type(value), 2)
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

local ExResult = {}
ExResult.__index = ExResult
ExResult.__tostring = function(r) return table.concat(r, '\n') end

--- ex(cmd): runs cmd through sh -c; returns its stdout lines with .code and .stderr.
function shell.ex(cmd)
  if type(cmd) ~= 'string' then error('ex expects a command string, got ' .. type(cmd), 2) end
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
  if type(scope) ~= 'string' then error('mpf.md expects a scope: exp, run, role or fun', 2) end
  local ok, path = pcall(host.md, scope)
  if not ok then error(path, 2) end
  return path
end

return shell
