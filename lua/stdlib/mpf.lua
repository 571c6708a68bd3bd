-- mpf's Lua library: the experiment DSL (mpf.add_variable, mpf.run, mpf.init,
-- mpf.run_experiment), ex and the dataframe. The policy lives here; Swift provides a few
-- typed primitives in the table `_mpf_host`, which this chunk captures and removes from the
-- globals. Each part is a module of its own (`require 'mpf.declare'`, ...), loaded from the
-- binary through package.preload; this chunk assembles them into the global `mpf`, then takes
-- them out of the script's reach (the end of this chunk).

-- The library's parts: the only modules preloaded before this chunk runs.
local parts = {}
for name in pairs(package.preload) do parts[#parts + 1] = name end

local R = require 'mpf.registry'
R.host, R.mode = _mpf_host, _mpf_host.mode -- 'controller' or 'worker'
R.interactive = _mpf_host.interactive == true
_mpf_host = nil

local declare = require 'mpf.declare'
local shell = require 'mpf.shell'
local call = require 'mpf.call'
local experiment = require 'mpf.experiment'
local helpers = require 'mpf.helpers'
local software = require 'mpf.software'
local space = require 'mpf.space'

-- mpf check: a declaration's mistake is recorded and the script goes on with `placeholder`
-- in place of what the call returns, so that check reports every mistake, not only the first.
local function declaring(fn, placeholder)
  return function(...)
    if not R.checking then return fn(...) end
    local results = table.pack(pcall(fn, ...))
    if results[1] then return table.unpack(results, 2, results.n) end
    R.check_problems = R.check_problems or {}
    R.check_problems[#R.check_problems + 1] = tostring(results[2])
    return placeholder and placeholder()
  end
end
local function registrar() return function(fn) return fn end end
local function one_value() return { 1 } end

local mpf = {
  version = R.host.version,
  args = R.host.args or {},
  range = declaring(declare.range, one_value),
  add_variable = declaring(declare.add_variable),
  add_wsp_variable = declaring(declare.add_wsp_variable),
  values = declaring(declare.values, one_value),
  run = declaring(declare.run, registrar),
  init = declaring(declare.init, registrar),
  software = declaring(software.declare),
  exclude = declaring(space.exclude),
  zip = declaring(space.zip),
  search = space.search,
  geometric = space.geometric,
  logspace = space.logspace,
  md = shell.md,
  quote = shell.quote,
  run_experiment = experiment.run_experiment,
  load = experiment.load,
  on = experiment.on,
  before = experiment.before,
  after = experiment.after,
  sleep = helpers.sleep,
  now = R.host.now,
  wait_port = helpers.wait_port,
  wait_file = helpers.wait_file,
}
_G.mpf = mpf
_G.ex = shell.ex

-- On the controller, the modules the script loads are recorded: they travel to the workers.
if R.mode == 'controller' then require('mpf.modules').watch() end

-- print goes through the host: in a worker to the running function's log (never to the
-- protocol stream), on the controller to standard output above the progress bar.
print = function(...)
  if R.replaying or R.checking then return end
  local parts = table.pack(...)
  for i = 1, parts.n do parts[i] = tostring(parts[i]) end
  R.host.log(table.concat(parts, '\t', 1, parts.n))
end

-- A worker of an `mpf repl` session replays what was typed at the prompt, for its definitions
-- (globals, variables, functions): commands, prints and experiments are not repeated there,
-- and a chunk that fails is skipped (it did not fail on the controller: its node lacks something).
local function replay(chunks)
  R.replaying = true
  for _, chunk in ipairs(chunks) do
    local fn = load(chunk, '=stdin', 't')
    -- A notebook cell ending with an expression: the statements before it.
    local lines = {}
    if not fn then for line in (chunk .. '\n'):gmatch('(.-)\n') do lines[#lines + 1] = line end end
    for k = #lines - 1, 1, -1 do
      fn = load(table.concat(lines, '\n', 1, k), '=stdin', 't')
      if fn then break end
    end
    if fn then pcall(fn) end
  end
  R.replaying = false
end

local repl = R.mode == 'controller' and require 'mpf.repl' or {}

-- Scripts see the public API only: the parts (the registry holds the host's primitives) leave
-- package.loaded and package.preload, so `require 'mpf.registry'` finds no such module, and the
-- debug library a script gets cannot read the library's upvalues and locals (its own parts
-- captured the whole library). Parts that need another late find it in R.parts.
for _, name in ipairs(parts) do
  R.parts[name] = package.loaded[name]
  package.loaded[name], package.preload[name] = nil, nil
end
local getinfo = debug.getinfo
local public_debug = {
  traceback = debug.traceback,
  -- getinfo without `func`: a function on the stack may be the library's.
  getinfo = function(what, ...)
    local info
    if type(what) == 'number' then info = getinfo(what + 1, ...) else info = getinfo(what, ...) end
    if info then info.func = nil end
    return info
  end,
}
_G.debug, package.loaded.debug = public_debug, public_debug

-- What the host calls: a registered function (worker), a finished run for on_run (controller);
-- what mpf check and mpf repl set and read of the registry.
local host_flags = { checking = true, loading_script = true }
return {
  call = call.call, deliver = experiment.deliver, prepare = experiment.prepare, replay = replay,
  repl_eval = repl.eval, repl_complete = repl.complete, repl_display = repl.display,
  set_flag = function(name, on)
    assert(host_flags[name], name)
    R[name] = on
  end,
  check_report = function() return R.check_report end,
  script_line = function() return R.script_line end,
  declared_roles = function()
    local roles, seen = {}, {}
    for _, f in ipairs(R.functions) do
      if f.role and not seen[f.role] then seen[f.role] = true; roles[#roles + 1] = f.role end
    end
    return roles
  end,
}
