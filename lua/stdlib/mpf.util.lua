-- mpf.util: small helpers shared by the parts of mpf's library.

local util = {}
local debug = debug -- the whole library: scripts get a smaller one (mpf.lua)

-- A chunk's name as messages write it: a file's whole path (short_src cuts long ones to 60
-- characters), else Lua's short form.
function util.source_name(info)
  if info.source:sub(1, 1) == '@' then return info.source:sub(2) end
  return info.short_src
end

function util.where(level)
  local info = debug.getinfo(level + 1, 'Sl')
  if info and info.currentline and info.currentline > 0 then
    return util.source_name(info) .. ':' .. info.currentline
  end
  return '?'
end

-- Whether a chunk is mpf's own library (loaded as '=mpf' and '=mpf.NAME').
local function is_library(source)
  return source == '=mpf' or source:sub(1, 5) == '=mpf.'
end

--- The frame (debug.getinfo's 'Sl') of the user's code that led here: the first above the
--- caller that is neither C nor mpf's library, however deep the library's own calls go (a
--- pcall, a helper of the user's, a module the script requires: each is the user's). nil when
--- none has a line.
function util.user_frame()
  local level = 3
  while true do
    local info = debug.getinfo(level, 'Sl')
    if info == nil then return nil end
    if info.what ~= 'C' and info.currentline and info.currentline > 0 and not is_library(info.source) then
      return info
    end
    level = level + 1
  end
end

--- "file:line" of util.user_frame, nil when there is none.
function util.user_where()
  local info = util.user_frame()
  return info and (util.source_name(info) .. ':' .. info.currentline)
end

--- Whether the code running now runs on the thread mpf runs the script on (the state's main
--- thread, or the coroutine a worker, mpf check or mpf repl loads the script in: LuaState
--- names it in the registry): false inside a coroutine the script made.
function util.on_script_thread()
  local thread, main = coroutine.running()
  return main or thread == debug.getregistry()['mpf.script_thread']
end

--- Raises `message` at the user's line (util.user_where): every error of mpf's library goes
--- through here, so none counts stack levels, and none points inside the library.
function util.raise(message)
  local place = util.user_where()
  error(place and (place .. ': ' .. message) or message, 0)
end

function util.is_identifier(name)
  return type(name) == 'string' and name:match('^[%a_][%w_]*$') ~= nil
end

function util.sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  local rank = { boolean = 1, number = 2, string = 3 }
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return (rank[ta] or 9) < (rank[tb] or 9) end
    if ta == 'boolean' then return (not a) and b end
    return a < b
  end)
  return keys
end

function util.is_sequence(t)
  local n = #t
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return n > 0 and count == n
end

function util.label_of(value)
  if math.type(value) == 'float' and value == math.floor(value) and math.abs(value) < 1e15 then
    return string.format('%d', value)
  end
  return tostring(value)
end

util.scalar_types = { number = true, string = true, boolean = true }

--- Column names every row and export has: neither a variable nor a result may take them.
util.reserved_columns = { repetition = true, status = true, error = true, run = true, _status = true }

--- The keys of `t`, sorted and joined with commas (for messages).
function util.names_of(t)
  local names = {}
  for k in pairs(t) do names[#names + 1] = tostring(k) end
  table.sort(names)
  return table.concat(names, ', ')
end

return util
