-- mpf.modules: the Lua modules an experiment script requires (its helpers, next to it or along
-- package.path). On the controller, every module loaded from a file is recorded, and so is
-- every module named by a literal `require 'name'` in the script or in those modules (a
-- function that requires one only when it runs on a worker included); they travel with the
-- script to the workers, where `require` finds them without any file.

local modules = {}
local debug = debug -- the whole library: scripts get a smaller one (mpf.lua)
local R = require 'mpf.registry'
local found = {} -- name -> { name, path, source }

local scan

-- A module's text, read by the host's one reader of Lua files (bounded: a module that is
-- /dev/zero or larger than 16 MiB is refused, naming it).
local function read(path) return R.host.read_source(path) end

local function record(name, path, source)
  if found[name] or name:match('^mpf%.') then return end
  source = source or read(path)
  found[name] = { name = name, path = path, source = source }
  scan(source)
end

-- Where `require name` finds a module: one given with the script (mpf replay: the original's,
-- from the bundle) as it is, else along package.path. The path, and the source when known.
local function locate(name)
  local stored = R.host.stored_module(name)
  if stored then return stored.path, stored.source end
  return package.searchpath(name, package.path)
end

scan = function(source)
  for _, name in source:gmatch("require%s*%(?%s*(['\"])([%w_%.%-]+)%1") do
    if not found[name] then
      local path, known = locate(name)
      if path then record(name, path, known) end
    end
  end
end

--- Records the modules the file searcher loads from now on (controller only).
--- Lua's own file searcher is replaced: it read a module without a size bound.
function modules.watch()
  package.searchers[2] = function(name)
    local path, known = locate(name)
    if not path then return known end
    local source = known or read(path)
    local loader, problem = load(source, '@' .. path)
    if not loader then error(("error loading module '%s' from file '%s':\n\t%s"):format(name, path, problem), 0) end
    record(name, path, source)
    return loader, path
  end
end

--- The modules of the script whose main chunk is running: those loaded so far, and those its
--- text (and theirs) names in a literal require. A list sorted by name.
function modules.collect()
  local level = 2
  while true do
    local info = debug.getinfo(level, 'S')
    if info == nil then break end
    if info.what == 'main' and info.source:sub(1, 1) == '@' then
      local ok, source = pcall(read, info.source:sub(2))
      if ok then scan(source) end
      break
    end
    level = level + 1
  end
  local list = {}
  for _, module in pairs(found) do list[#list + 1] = module end
  table.sort(list, function(a, b) return a.name < b.name end)
  return list
end

return modules
