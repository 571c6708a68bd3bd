-- mpf's Lua library: the experiment DSL (mpf.add_variable, mpf.run, mpf.init,
-- mpf.run_experiment), ex and the dataframe. The policy lives here; Swift provides a few
-- typed primitives in the table `_mpf_host`, which this chunk captures and removes from the
-- globals. Misuse raises with error(msg, 2) so that messages point at the user's line.

local host = _mpf_host
_mpf_host = nil

local mode = host.mode -- 'controller' or 'worker'

local mpf = {
  version = host.version,
  args = host.args or {},
}
_G.mpf = mpf

local variables = {} -- list of { name, values, labels, source, line }
local variable_by_name = {}
local functions = {} -- list of { kind, role, delay, parallel, fn, params, source, line }

local function where(level)
  local info = debug.getinfo(level + 1, 'Sl')
  if info and info.currentline and info.currentline > 0 then
    return info.short_src .. ':' .. info.currentline
  end
  return '?'
end

local function is_identifier(name)
  return type(name) == 'string' and name:match('^[%a_][%w_]*$') ~= nil
end

local function sorted_keys(t)
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

local function is_sequence(t)
  local n = #t
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return n > 0 and count == n
end

local function label_of(value)
  if math.type(value) == 'float' and value == math.floor(value) and math.abs(value) < 1e15 then
    return string.format('%d', value)
  end
  return tostring(value)
end

local scalar_types = { number = true, string = true, boolean = true }

--- mpf.range(first, last [, step]): the numbers first, first+step, ... up to last included.
function mpf.range(first, last, step)
  step = step or 1
  if type(first) ~= 'number' or type(last) ~= 'number' or type(step) ~= 'number' then
    error('mpf.range expects numbers: mpf.range(first, last [, step])', 2)
  end
  if step == 0 then error('mpf.range: step must not be 0', 2) end
  local values = {}
  local n = math.floor((last - first) / step + 1e-9)
  for i = 0, n do values[#values + 1] = first + i * step end
  if #values == 0 then
    error(('mpf.range(%s, %s, %s) is empty'):format(first, last, step), 2)
  end
  return values
end

--- mpf.add_variable(name, values): values is a list, an mpf.range, or a {value = label} map.
function mpf.add_variable(name, values)
  if not is_identifier(name) then
    error(('variable name must be an identifier (letters, digits, _), got %s'):format(
      type(name) == 'string' and ("'" .. name .. "'") or type(name)), 2)
  end
  if name == 'ctx' or name == 'mpf_ctx' then
    error(("'%s' is reserved for the run context; name the variable otherwise"):format(name), 2)
  end
  if variable_by_name[name] then
    local previous = variable_by_name[name]
    error(("variable '%s' is already defined at %s:%d"):format(name, previous.source, previous.line), 2)
  end
  if type(values) ~= 'table' then
    error(("values of '%s' must be a list, mpf.range(...) or a {value = label} map, got %s"):format(
      name, type(values)), 2)
  end
  local list, labels = {}, {}
  if is_sequence(values) then
    for i, v in ipairs(values) do
      if not scalar_types[type(v)] then
        error(("value %d of '%s' is a %s; values must be numbers, strings or booleans"):format(i, name, type(v)), 2)
      end
      list[i], labels[i] = v, label_of(v)
    end
  else
    for _, k in ipairs(sorted_keys(values)) do
      local label = values[k]
      if not scalar_types[type(k)] then
        error(("a key of '%s' is a %s; values must be numbers, strings or booleans"):format(name, type(k)), 2)
      end
      if type(label) ~= 'string' and type(label) ~= 'number' then
        error(("the label of value %s of '%s' must be a string, got %s"):format(tostring(k), name, type(label)), 2)
      end
      list[#list + 1], labels[#labels + 1] = k, tostring(label)
    end
  end
  if #list == 0 then error(("variable '%s' has no values"):format(name), 2) end
  local info = debug.getinfo(2, 'Sl')
  local variable = { name = name, values = list, labels = labels, source = info.short_src, line = info.currentline }
  variables[#variables + 1] = variable
  variable_by_name[name] = variable
end

local run_options = { role = 'string', link = 'string', delay = 'number', parallel = 'boolean', timeout = 'number', retries = 'number' }
local init_options = { role = 'string', timeout = 'number' }

local function registrar(kind, allowed, opts)
  local api = 'mpf.' .. kind
  if type(opts) ~= 'table' then
    error(("%s expects a table of options: %s{role = 'name'}(function(ctx) ... end)"):format(api, api), 3)
  end
  for key, value in pairs(opts) do
    if not allowed[key] then
      local names = sorted_keys(allowed)
      error(("%s: unknown option '%s' (options: %s)"):format(api, tostring(key), table.concat(names, ', ')), 3)
    end
    if type(value) ~= allowed[key] then
      error(("%s: option '%s' must be a %s, got %s"):format(api, key, allowed[key], type(value)), 3)
    end
  end
  if opts.role == nil and opts.link == nil then error(api .. ': option role (or link) is required', 3) end
  if opts.role ~= nil and opts.link ~= nil then
    error(api .. ': give role or link, not both (a link function runs on each end of the link)', 3)
  end
  if opts.role ~= nil and not is_identifier(opts.role) then
    error(("%s: role '%s' must be an identifier"):format(api, opts.role), 3)
  end
  if opts.delay and opts.delay < 0 then error(api .. ': delay must be >= 0 seconds', 3) end
  if opts.timeout and opts.timeout <= 0 then error(api .. ': timeout must be > 0 seconds', 3) end
  if opts.retries and (opts.retries < 0 or math.type(opts.retries) ~= 'integer') then
    error(api .. ': retries must be a whole number >= 0', 3)
  end
  local called_at = where(3)
  return function(fn)
    if type(fn) ~= 'function' then
      error(("%s{...} must be called with a function, got %s"):format(api, type(fn)), 2)
    end
    local info = debug.getinfo(fn, 'Su')
    local params = {}
    for i = 1, info.nparams do params[i] = debug.getlocal(fn, i) end
    functions[#functions + 1] = {
      kind = kind, role = opts.role, link = opts.link, delay = opts.delay or 0, timeout = opts.timeout,
      retries = opts.retries or 0, parallel = opts.parallel or false,
      fn = fn, params = params, source = info.short_src, line = info.linedefined,
      registered_at = called_at,
    }
    return fn
  end
end

--- mpf.run{role=, delay=, parallel=}(fn): fn runs on the role's node in every run.
function mpf.run(opts) return registrar('run', run_options, opts) end

--- mpf.init{role=}(fn): fn runs once on the role's node before the first run.
function mpf.init(opts) return registrar('init', init_options, opts) end

-- Shell ------------------------------------------------------------------------------------

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

-- On a worker: the coroutine that ran the script's main chunk, suspended in run_experiment.
local main_thread = nil

-- The script's top-level locals, as they are when the experiment starts (on a worker) or now
-- (on the controller): a function may name them in ex without mentioning them in Lua.
local function script_locals()
  local names = {}
  local level = 1
  while true do
    local info
    if main_thread then info = debug.getinfo(main_thread, level, 'S') else info = debug.getinfo(level, 'S') end
    if info == nil then return names end
    if info.what == 'main' and info.source:sub(1, 1) == '@' then
      add_locals(names, main_thread, level) -- not a tail call (levels)
      return names
    end
    level = level + 1
  end
end

-- Expands $name and ${name}: the caller's locals and upvalues, then the script's top-level
-- locals, then the globals. Names Lua does not know stay for the shell.
local function interpolate(cmd, names, location)
  local top_level
  local function expand(whole, name)
    local value = names[name]
    if value == nil then
      top_level = top_level or script_locals()
      value = top_level[name]
    end
    if value == nil then value = rawget(_G, name) end
    if value == nil then return whole end
    local t = type(value)
    if t == 'string' then return value end
    if t == 'number' then return label_of(value) end
    if t == 'boolean' then return tostring(value) end
    error(("%s: ex: cannot expand $%s: it is a %s"):format(location, name, t), 0)
  end
  cmd = cmd:gsub('(%${([%a_][%w_]*)})', expand)
  cmd = cmd:gsub('(%$([%a_][%w_]*))', expand)
  return cmd
end

local ExResult = {}
ExResult.__index = ExResult
ExResult.__tostring = function(r) return table.concat(r, '\n') end

--- ex(cmd): runs cmd through sh -c; returns its stdout lines with .code and .stderr.
function ex(cmd)
  if type(cmd) ~= 'string' then error('ex expects a command string, got ' .. type(cmd), 2) end
  local location = where(2)
  local expanded = interpolate(cmd, visible_names(2), location)
  local background = false
  local head = expanded:match('^(.-)%s*&%s*$')
  if head and not head:match('&$') then background, expanded = true, head end
  local r = host.exec(expanded, background, location)
  local out = r.lines
  out.code, out.stderr = r.code, r.stderr
  return setmetatable(out, ExResult)
end

--- mpf.md(scope): a directory on the node for files of this experiment ('exp'), run ('run',
--- the default; 'role' is the same folder, as each role has its own worker) or function
--- ('fun'). Its files are brought back into the experiment's directory.
function mpf.md(scope)
  scope = scope or 'run'
  if type(scope) ~= 'string' then error('mpf.md expects a scope: exp, run, role or fun', 2) end
  local ok, path = pcall(host.md, scope)
  if not ok then error(path, 2) end
  return path
end

-- Run context ------------------------------------------------------------------------------

local function names_of(t)
  local names = {}
  for k in pairs(t) do names[#names + 1] = tostring(k) end
  table.sort(names)
  return table.concat(names, ', ')
end

local function make_context(ctx)
  local roles = ctx.roles or {}
  ctx.roles = setmetatable(roles, {
    __index = function(_, name)
      error(("unknown role '%s' (roles: %s)"):format(tostring(name), names_of(roles)), 2)
    end,
  })
  return ctx
end

-- Worker side: calling a registered function -------------------------------------------------

local internal = {}

--- Calls registered function `index` with the run's context and variable values; checks the
--- returned table and gives it back. Errors carry the function's location.
function internal.call(index, ctx, values)
  local f = functions[index]
  if f == nil then error(('no registered function %d'):format(index), 0) end
  local context = make_context(ctx)
  local args = {}
  for i, name in ipairs(f.params) do
    if name == 'ctx' or name == 'mpf_ctx' then args[i] = context else args[i] = values[name] end
  end
  local result = f.fn(table.unpack(args, 1, #f.params))
  if result == nil then return nil end
  local at = ('%s:%d'):format(f.source, f.line)
  if type(result) ~= 'table' then
    error(("%s: the function returned a %s; return a table of name = value, or nothing"):format(at, type(result)), 0)
  end
  for name, value in pairs(result) do
    if type(name) ~= 'string' then
      error(("%s: the function returned a table with a %s key; result names must be strings"):format(at, type(name)), 0)
    end
    if variable_by_name[name] then
      error(("%s: result '%s' has the name of a variable; rename the result"):format(at, name), 0)
    end
    if not scalar_types[type(value)] then
      error(("%s: result '%s' is a %s; results must be numbers, strings or booleans"):format(at, name, type(value)), 0)
    end
  end
  return result
end

-- Controller side --------------------------------------------------------------------------

local DataFrame = {}
DataFrame.__index = DataFrame
DataFrame.__tostring = function(df) return host.dataframe_format(df._handle) end
DataFrame.__len = function(df) return #df.rows end

--- df:to_csv(path): writes the dataframe as CSV (labels for variables, base units for results).
function DataFrame:to_csv(path)
  if type(path) ~= 'string' then error('to_csv expects a file path', 2) end
  return host.dataframe_write(self._handle, 'csv', path)
end

--- df:to_json(path): writes the dataframe as a JSON list of rows.
function DataFrame:to_json(path)
  if type(path) ~= 'string' then error('to_json expects a file path', 2) end
  return host.dataframe_write(self._handle, 'json', path)
end

--- df:column(name): the column's values as a list.
function DataFrame:column(name)
  local values = {}
  for i, row in ipairs(self.rows) do values[i] = row[name] end
  return values
end

local function check_parameters()
  for _, f in ipairs(functions) do
    local variable = f.role and variable_by_name[f.role]
    if variable then
      -- role = 'name of a variable': the role of each run is that variable's value.
      for _, value in ipairs(variable.values) do
        if not is_identifier(value) then
          error(("%s:%d: role '%s' is a variable, so its values must be role names; %s is not"):format(
            f.source, f.line, f.role, type(value) == 'string' and ("'" .. value .. "'") or tostring(value)), 0)
        end
      end
      if f.kind == 'init' then
        error(("%s:%d: an init function needs a fixed role, not the variable '%s'"):format(f.source, f.line, f.role), 0)
      end
    end
    for _, name in ipairs(f.params) do
      if name ~= 'ctx' and name ~= 'mpf_ctx' and not variable_by_name[name] then
        local known = {}
        for _, v in ipairs(variables) do known[#known + 1] = v.name end
        local hint = #known > 0 and ('variables: ' .. table.concat(known, ', ')) or 'no variable is defined'
        error(("%s:%d: parameter '%s' is neither ctx nor a variable (%s)"):format(f.source, f.line, name, hint), 0)
      end
      if f.kind == 'init' and name ~= 'ctx' and name ~= 'mpf_ctx' then
        error(("%s:%d: an init function runs once, before any run: it takes only ctx, not '%s'"):format(
          f.source, f.line, name), 0)
      end
    end
  end
end

local experiment_options = { n_runs = 'number', seed = 'number', on_error = 'string', on_run = 'function' }
local on_run = nil
local experiment_started = false

--- mpf.run_experiment{n_runs=, seed=}: runs every point n_runs times; returns the dataframe.
function mpf.run_experiment(opts)
  opts = opts or {}
  if type(opts) ~= 'table' then error('mpf.run_experiment expects a table of options', 2) end
  if mode == 'worker' then
    -- A worker stops its script here for good: what follows runs on the controller only.
    main_thread = coroutine.running()
    coroutine.yield()
    error('mpf.run_experiment: a worker script was resumed', 0)
  end
  for key, value in pairs(opts) do
    if not experiment_options[key] then
      error(("mpf.run_experiment: unknown option '%s' (options: %s)"):format(
        tostring(key), names_of(experiment_options)), 2)
    end
    if type(value) ~= experiment_options[key] then
      error(("mpf.run_experiment: option '%s' must be a %s"):format(key, experiment_options[key]), 2)
    end
  end
  if opts.n_runs and (opts.n_runs < 1 or math.type(opts.n_runs) ~= 'integer') then
    error('mpf.run_experiment: n_runs must be a whole number >= 1', 2)
  end
  if opts.on_error and opts.on_error ~= 'continue' and opts.on_error ~= 'stop' then
    error("mpf.run_experiment: on_error must be 'continue' or 'stop'", 2)
  end
  if experiment_started then error('mpf.run_experiment may be called once per script', 2) end
  experiment_started = true
  on_run = opts.on_run
  check_parameters()
  local spec_variables, spec_functions = {}, {}
  for i, v in ipairs(variables) do
    spec_variables[i] = { name = v.name, values = v.values, labels = v.labels, source = v.source, line = v.line }
  end
  for i, f in ipairs(functions) do
    local role_variable = f.role and variable_by_name[f.role] and f.role
    spec_functions[i] = {
      kind = f.kind, role = not role_variable and f.role or nil, role_variable = role_variable, link = f.link,
      delay = f.delay, parallel = f.parallel, timeout = f.timeout, retries = f.retries,
      params = f.params, source = f.source, line = f.line,
    }
  end
  local data = host.run_experiment({
    variables = spec_variables, functions = spec_functions,
    n_runs = opts.n_runs, seed = opts.seed, on_error = opts.on_error, on_run = on_run ~= nil,
  })
  return setmetatable(data, DataFrame)
end

--- Called by the host for each finished run when run_experiment has on_run: the dataframe
--- of the runs so far and the new row.
function internal.deliver(data, row)
  if on_run then on_run(setmetatable(data, DataFrame), row) end
end

-- print in a worker goes to the running function's log, never to the protocol stream.
if mode == 'worker' then
  print = function(...)
    local parts = table.pack(...)
    for i = 1, parts.n do parts[i] = tostring(parts[i]) end
    host.log(table.concat(parts, '\t', 1, parts.n))
  end
end

return internal
