-- mpf.declare: what a script declares: mpf.range, mpf.add_variable, mpf.run, mpf.init.
-- Misuse raises with raise(msg) so that messages point at the user's line.

local util = require 'mpf.util'
local raise = util.raise
local where, is_identifier, sorted_keys, is_sequence = util.where, util.is_identifier, util.sorted_keys, util.is_sequence
local scalar_types = util.scalar_types
local R = require 'mpf.registry'
local debug = debug -- the whole library: scripts get a smaller one (mpf.lua)
local host, variables, variable_by_name, functions = R.host, R.variables, R.variable_by_name, R.functions

local declare = {}

--- mpf.range(first, last [, step]): the numbers first, first+step, ... up to last included.
function declare.range(first, last, step)
  step = step or 1
  if type(first) ~= 'number' or type(last) ~= 'number' or type(step) ~= 'number' then
    raise('mpf.range expects numbers: mpf.range(first, last [, step])')
  end
  if step == 0 then raise('mpf.range: step must not be 0') end
  local values = {}
  local n = math.floor((last - first) / step + 1e-9)
  -- first + i * step, rounded to the decimals of first and step: 0.1, 0.2, 0.3 (not 0.30000000000000004).
  local function decimals(x)
    if math.type(x) == 'integer' then return 0 end
    local text = string.format('%.15g', x)
    local fraction = text:match('%.(%d+)$')
    if text:find('e') then return nil end
    return fraction and #fraction or 0
  end
  local places = decimals(first) and decimals(step) and math.max(decimals(first), decimals(step))
  for i = 0, n do
    local value = first + i * step
    if places and math.type(value) == 'float' then value = tonumber(string.format('%.' .. places .. 'f', value)) end
    values[#values + 1] = value
  end
  if #values == 0 then
    raise(('mpf.range(%s, %s, %s) is empty'):format(first, last, step))
  end
  return values
end

-- The explicit ordered form of values with labels: mpf.values{{value, label}, ...}.
local Ordered = {}

--- mpf.values{{value, label}, ...}: values with labels, in exactly this order.
function declare.values(pairs_list)
  if type(pairs_list) ~= 'table' or not is_sequence(pairs_list) then
    raise("mpf.values expects a list of {value, label} pairs: mpf.values{{'-b 64K', '64 KiB'}, {'-b 1M', '1 MiB'}}")
  end
  for i, pair in ipairs(pairs_list) do
    if type(pair) ~= 'table' or pair[1] == nil or pair[2] == nil or not scalar_types[type(pair[1])] then
      raise(('mpf.values: item %d must be a {value, label} pair'):format(i))
    end
  end
  return setmetatable({ pairs = pairs_list }, Ordered)
end

-- Natural order of strings: digit runs compare as numbers ('x2' < 'x10').
local function natural_less(a, b)
  local ia, ib = 1, 1
  while ia <= #a and ib <= #b do
    local da, db = a:match('^%d+', ia), b:match('^%d+', ib)
    if da and db then
      local na, nb = tonumber(da), tonumber(db)
      if na ~= nb then return na < nb end
      ia, ib = ia + #da, ib + #db
    else
      local ca, cb = a:sub(ia, ia), b:sub(ib, ib)
      if ca ~= cb then return ca < cb end
      ia, ib = ia + 1, ib + 1
    end
  end
  return #a - ia < #b - ib
end

-- The magnitudes of texts that are all quantities of one unit ('64 KiB', '1 MiB'), else nil.
local function magnitudes(texts)
  local unit
  local result = {}
  for i, text in ipairs(texts) do
    if type(text) ~= 'string' then return nil end
    local q = host.quantity(text)
    if q == nil then return nil end
    if unit ~= nil and q.unit ~= unit then return nil end
    unit, result[i] = q.unit, q.value
  end
  return result
end

-- The keys of a {value = label} map in the order of their values: numbers numerically,
-- quantities by magnitude (of the values, else of the labels), other strings naturally.
local function ordered_keys(map)
  local keys = sorted_keys(map)
  local all_numbers = true
  for _, k in ipairs(keys) do all_numbers = all_numbers and type(k) == 'number' end
  if all_numbers then return keys end
  local labels = {}
  for i, k in ipairs(keys) do labels[i] = map[k] end
  local by = magnitudes(keys) or magnitudes(labels)
  if by then
    local index = {}
    for i, k in ipairs(keys) do index[k] = by[i] end
    table.sort(keys, function(a, b) return index[a] < index[b] end)
    return keys
  end
  table.sort(keys, function(a, b)
    if type(a) == 'string' and type(b) == 'string' then return natural_less(a, b) end
    local rank = { boolean = 1, number = 2, string = 3 }
    if type(a) ~= type(b) then return rank[type(a)] < rank[type(b)] end
    if type(a) == 'boolean' then return (not a) and b end
    return a < b
  end)
  return keys
end

--- mpf.add_variable(name, values [, {when = ...}]): values is a list, an mpf.range, a
--- {value = label} map (in the order of its values), mpf.values{{value, label}, ...} (in the
--- order given), or a function returning one of these. `when`: the variable applies only to
--- points where other variables hold some values ({other = value(s)}, or a function(point)).
-- A variable's name: an identifier, none of the columns mpf adds nor the run context's.
local function check_variable_name(name)
  if not is_identifier(name) then
    raise(('variable name must be an identifier (letters, digits, _), got %s'):format(
      type(name) == 'string' and ("'" .. name .. "'") or type(name)))
  end
  if util.reserved_columns[name] then
    raise(("'%s' is a column mpf adds to every row (repetition, status, error); name the variable otherwise"):format(name))
  end
  if name == 'ctx' or name == 'mpf_ctx' then
    raise(("'%s' is reserved for the run context; name the variable otherwise"):format(name))
  end
end

-- Where a variable declared again goes: its old place at mpf repl's prompt (new values for the
-- next run), a mistake anywhere else. Nil for a new variable.
local function replaced_index(name)
  local previous = variable_by_name[name]
  if not previous then return nil end
  if not R.interactive then
    raise(("variable '%s' is already defined at %s:%d"):format(name, previous.source, previous.line))
  end
  for i, v in ipairs(variables) do if v == previous then return i end end
end

local function check_variable_options(name, options)
  if options ~= nil and type(options) ~= 'table' then
    raise(("mpf.add_variable('%s', values, options): options must be a table such as {when = {other = 'value'}}"):format(name))
  end
  for key in pairs(options or {}) do
    if key ~= 'when' then raise(("mpf.add_variable('%s'): unknown option '%s' (options: when)"):format(name, tostring(key))) end
  end
end

-- A {value = label} map's values, in value order, and their labels.
local function labelled_values(name, values)
  local list, labels = {}, {}
  for _, k in ipairs(ordered_keys(values)) do
    local label = values[k]
    if not scalar_types[type(k)] then
      raise(("a key of '%s' is a %s; values must be numbers, strings or booleans"):format(name, type(k)))
    end
    if type(label) ~= 'string' and type(label) ~= 'number' then
      raise(("the label of value %s of '%s' must be a string, got %s"):format(tostring(k), name, type(label)))
    end
    list[#list + 1], labels[#labels + 1] = k, tostring(label)
  end
  return list, labels
end

-- The values of `values` (a list, mpf.values' ordered pairs, a map or a function giving one)
-- and their labels (nil for a plain list: each value is shown as its text).
local function values_and_labels(name, values)
  if type(values) == 'function' then values = values() end
  if type(values) ~= 'table' then
    raise(("values of '%s' must be a list, mpf.range(...) or a {value = label} map, got %s"):format(
      name, type(values)))
  end
  if getmetatable(values) == Ordered then
    local list, labels = {}, {}
    for i, pair in ipairs(values.pairs) do list[i], labels[i] = pair[1], tostring(pair[2]) end
    return list, labels
  end
  if not is_sequence(values) then return labelled_values(name, values) end
  local list = {}
  for i, v in ipairs(values) do
    if not scalar_types[type(v)] then
      raise(("value %d of '%s' is a %s; values must be numbers, strings or booleans"):format(i, name, type(v)))
    end
    list[i] = v
  end
  return list, nil
end

-- Two values that are one point (1 and 1.0, or the same string twice) would run twice and be
-- stored as one. Lua's own keys match so: 1 and 1.0 are one key, the string '1' another (no
-- key made per value: a variable of 100 000 values costs no 100 000 strings).
local function check_distinct(name, list)
  if #list == 0 then raise(("variable '%s' has no values"):format(name)) end
  local seen = {}
  for i, v in ipairs(list) do
    local key = v
    if v ~= v then key = seen end  -- NaN cannot be a key: the table itself stands for it
    if seen[key] then
      raise(("variable '%s' has the value %s twice (values %d and %d); each value must be distinct"):format(
        name, type(v) == 'string' and ("'" .. v .. "'") or tostring(v), seen[key], i))
    end
    seen[key] = i
  end
end

function declare.add_variable(name, values, options)
  if R.values_handed_over then
    raise(("mpf.add_variable('%s') after mpf.run_experiment: the experiment has run; declare its variables before it"):format(tostring(name)))
  end
  check_variable_name(name)
  local replaced = replaced_index(name)
  check_variable_options(name, options)
  local list, labels = values_and_labels(name, values)
  check_distinct(name, list)
  local info = debug.getinfo(2, 'Sl')
  local when = options and options.when ~= nil and R.parts['mpf.space'].condition(name, options.when) or nil
  local variable = { name = name, values = list, labels = labels, source = util.source_name(info), line = info.currentline, when = when }
  variables[replaced or #variables + 1] = variable
  variable_by_name[name] = variable
end

local run_options = {
  role = 'string', link = 'string', delay = 'number', parallel = 'boolean', timeout = 'number', retries = 'number',
  aggregate = 'string or table',
}
local aggregates = { sum = true, mean = true, min = true, max = true, median = true }
local init_options = { role = 'string', timeout = 'number' }

local function registrar(kind, allowed, opts)
  local api = 'mpf.' .. kind
  if type(opts) ~= 'table' then
    raise(("%s expects a table of options: %s{role = 'name'}(function(ctx) ... end)"):format(api, api))
  end
  for key, value in pairs(opts) do
    if not allowed[key] then
      local names = sorted_keys(allowed)
      raise(("%s: unknown option '%s' (options: %s)"):format(api, tostring(key), table.concat(names, ', ')))
    end
    if type(value) ~= allowed[key] and not (allowed[key] == 'string or table' and (type(value) == 'string' or type(value) == 'table')) then
      raise(("%s: option '%s' must be a %s, got %s"):format(api, key, allowed[key], type(value)))
    end
  end
  if opts.role == nil and opts.link == nil then raise(api .. ': option role (or link) is required') end
  if opts.role ~= nil and opts.link ~= nil then
    raise(api .. ': give role or link, not both (a link function runs on each end of the link)')
  end
  if opts.role ~= nil and not is_identifier(opts.role) then
    raise(("%s: role '%s' must be an identifier"):format(api, opts.role))
  end
  -- Seconds are bounded by a day: math.huge or NaN would overflow the host's clocks.
  local day = 86400
  if opts.delay and not (opts.delay >= 0 and opts.delay <= day) then
    raise(api .. ': delay must be between 0 and 86400 seconds (a day)')
  end
  if opts.timeout and not (opts.timeout > 0 and opts.timeout <= 7 * day) then
    raise(api .. ': timeout must be > 0 seconds and at most a week')
  end
  if opts.retries and (opts.retries < 0 or math.type(opts.retries) ~= 'integer') then
    raise(api .. ': retries must be a whole number >= 0')
  end
  if opts.aggregate ~= nil then
    if opts.link ~= nil then raise(api .. ': aggregate applies to a role with several machines, not to a link') end
    local each = type(opts.aggregate) == 'string' and { [''] = opts.aggregate } or opts.aggregate
    for name, kind in pairs(each) do
      if type(name) ~= 'string' or not aggregates[kind] then
        raise(("%s: aggregate%s '%s' is not one of sum, mean, min, max, median"):format(
          api, name ~= '' and type(name) == 'string' and (" of '" .. name .. "'") or '', tostring(kind)))
      end
    end
  end
  local called_at = where(3)
  return function(fn)
    if type(fn) ~= 'function' then
      raise(("%s{...} must be called with a function, got %s"):format(api, type(fn)))
    end
    local info = debug.getinfo(fn, 'Su')
    local params = {}
    for i = 1, info.nparams do params[i] = debug.getlocal(fn, i) end
    functions[#functions + 1] = {
      kind = kind, role = opts.role, link = opts.link, delay = opts.delay or 0, timeout = opts.timeout,
      retries = opts.retries or 0, parallel = opts.parallel or false, aggregate = opts.aggregate,
      fn = fn, params = params, source = util.source_name(info), line = info.linedefined,
      registered_at = called_at,
    }
    return fn
  end
end

--- mpf.add_wsp_variable(name, values | {min =, max =}): a variable for a space-filling design,
--- as in the original mpf; a {min, max} range becomes 101 values from min to max. Use it with
--- run_experiment{wsp_target = N} (the same as design = {kind = 'wsp', points = N}).
function declare.add_wsp_variable(name, values)
  if type(values) == 'table' and values.min ~= nil and values.max ~= nil and #values == 0 then
    if type(values.min) ~= 'number' or type(values.max) ~= 'number' or values.max <= values.min then
      raise(("mpf.add_wsp_variable('%s'): min and max must be numbers, min < max"):format(tostring(name)))
    end
    local list, step = {}, (values.max - values.min) / 100
    for i = 0, 100 do list[#list + 1] = tonumber(string.format('%.6g', values.min + i * step)) end
    values = list
  end
  -- Declared as by mpf.add_variable, its mistakes and its place at the caller's line.
  local ok, problem = pcall(declare.add_variable, name, values)
  if not ok then raise((tostring(problem):gsub('^[^\n]-:%d+: ', ''))) end
  local info = debug.getinfo(2, 'Sl')
  variable_by_name[name].source, variable_by_name[name].line = util.source_name(info), info.currentline
end

--- mpf.run{role=, delay=, parallel=}(fn): fn runs on the role's node in every run.
function declare.run(opts) return registrar('run', run_options, opts) end

--- mpf.init{role=}(fn): fn runs once on the role's node before the first run.
function declare.init(opts) return registrar('init', init_options, opts) end

return declare
