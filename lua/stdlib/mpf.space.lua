-- mpf.space: which points of the variable space run. A variable may apply only `when` others
-- hold some values (elsewhere its cell is missing and runs do not multiply over it);
-- mpf.exclude removes combinations; mpf.zip makes variables move together instead of
-- multiplying. Misuse raises with raise(msg) so that messages point at the user's line.

local util = require 'mpf.util'
local raise = util.raise
local R = require 'mpf.registry'
local debug = debug -- the whole library: scripts get a smaller one (mpf.lua)

local space = {}
R.exclusions = R.exclusions or {}
R.zips = R.zips or {}

local function value_key(v)
  if type(v) == 'number' then return 'n' .. string.format('%.17g', v) end
  return type(v) .. ':' .. tostring(v)
end

local function shown(v) return type(v) == 'string' and ("'" .. v .. "'") or tostring(v) end

--- The `when` option of mpf.add_variable, checked against the variables declared before:
--- {other = value} or {other = {value, ...}} (all must hold), or a function(point) -> boolean.
-- A `when` table as people read it: `proto = tcp`, `size in {1, 2}`, joined with `and`.
local function condition_text(conditions)
  local parts = {}
  for _, c in ipairs(conditions) do
    local values = {}
    for _, v in ipairs(c.wanted) do values[#values + 1] = shown(v) end
    parts[#parts + 1] = #values == 1 and (c.variable.name .. ' = ' .. values[1])
      or (c.variable.name .. ' in {' .. table.concat(values, ', ') .. '}')
  end
  table.sort(parts)
  return table.concat(parts, ' and ')
end

function space.condition(name, when)
  if type(when) == 'function' then
    local info = debug.getinfo(when, 'S')
    return { fn = when, text = ('a function (%s:%d)'):format(util.source_name(info), info.linedefined) }
  end
  if type(when) ~= 'table' then
    raise(("variable '%s': when must be a table {variable = value(s)} or a function(point)"):format(name))
  end
  local conditions = {}
  for other, wanted in pairs(when) do
    local variable = R.variable_by_name[other]
    if type(other) ~= 'string' or not variable then
      local names = {}
      for _, v in ipairs(R.variables) do names[#names + 1] = v.name end
      raise(("variable '%s': when names '%s', which is not a variable declared before it (variables: %s)"):format(
        name, tostring(other), #names > 0 and table.concat(names, ', ') or 'none'))
    end
    if type(wanted) ~= 'table' then wanted = { wanted } end
    local index = {}
    for i, v in ipairs(variable.values) do index[value_key(v)] = i end
    local allowed = {}
    for _, v in ipairs(wanted) do
      local i = index[value_key(v)]
      if not i then
        local values = {}
        for _, known in ipairs(variable.values) do values[#values + 1] = shown(known) end
        raise(("variable '%s': when %s = %s, which is not a value of '%s' (values: %s)"):format(
          name, other, shown(v), other, table.concat(values, ', ')))
      end
      allowed[i] = true
    end
    conditions[#conditions + 1] = { variable = variable, allowed = allowed, wanted = wanted }
  end
  return { conditions = conditions, text = condition_text(conditions) }
end

--- mpf.exclude(fn): fn(point) returning true removes that combination before anything runs.
function space.exclude(fn)
  if type(fn) ~= 'function' then raise('mpf.exclude expects a function(point) returning true for combinations to leave out') end
  local info = debug.getinfo(2, 'Sl')
  R.exclusions[#R.exclusions + 1] = { fn = fn, source = util.source_name(info), line = info.currentline }
end

--- mpf.zip('a', 'b', ...): these variables (declared, with as many values each) move together:
--- the i-th values of each form one point, instead of every combination.
function space.zip(...)
  local names = { ... }
  if #names < 2 then raise('mpf.zip expects two or more variable names') end
  local count = nil
  for _, name in ipairs(names) do
    local variable = R.variable_by_name[name]
    if not variable then raise(("mpf.zip: '%s' is not a declared variable"):format(tostring(name))) end
    if variable.when then raise(("mpf.zip: '%s' has a when condition; a zipped variable always applies"):format(name)) end
    for _, group in ipairs(R.zips) do
      for _, other in ipairs(group) do
        if other == name then raise(("mpf.zip: '%s' is already zipped"):format(name)) end
      end
    end
    count = count or #variable.values
    if #variable.values ~= count then
      raise(("mpf.zip: '%s' has %d values and '%s' %d; zipped variables need as many values each"):format(
        names[1], count, name, #variable.values))
    end
  end
  R.zips[#R.zips + 1] = names
end

--- Whether the points must be listed (else they are the whole cartesian product).
function space.needed()
  if #R.exclusions > 0 or #R.zips > 0 then return true end
  for _, v in ipairs(R.variables) do if v.when then return true end end
  return false
end

--- The points, as one string of value indices (#variables per point, each in `width`
--- characters of 6 bits, '0' + bits, most significant first; 0 where a variable does not
--- apply), in the cartesian order (first variable slowest), the width, and what was left out.
--- One ASCII string crosses to the host in one piece.
-- The units the walk goes through: a variable alone, or a zip group (its members step
-- together) at the place of its first member.
local function walk_units(variables, position)
  local zipped, units = {}, {}
  for _, group in ipairs(R.zips) do
    local members = {}
    for _, name in ipairs(group) do members[#members + 1] = position[name] end
    table.sort(members)
    for _, i in ipairs(members) do zipped[i] = members end
  end
  for i = 1, #variables do
    if not zipped[i] then units[#units + 1] = { i }
    elseif zipped[i][1] == i then units[#units + 1] = zipped[i] end
  end
  return units
end

-- How many points the product of the values makes (a zip group counts once).
local function combination_count(variables)
  local combinations = 1
  for _, v in ipairs(variables) do combinations = combinations * #v.values end
  for _, group in ipairs(R.zips) do combinations = combinations / ((#R.variable_by_name[group[1]].values) ^ (#group - 1)) end
  return math.floor(combinations + 0.5)
end

-- Each value's index as `width` characters of base 64 (0: not applicable), per variable: a
-- point is its variables' codes side by side.
local function value_codes(variables)
  local largest = 0
  for _, v in ipairs(variables) do largest = math.max(largest, #v.values) end
  local width = largest < 64 and 1 or largest < 4096 and 2 or 3
  local codes = {}
  for i, v in ipairs(variables) do
    local code = {}
    for k = 0, #v.values do
      local text = ''
      for digit = width - 1, 0, -1 do text = text .. string.char(48 + (k >> (6 * digit)) % 64) end
      code[k] = text
    end
    codes[i] = code
  end
  return codes, width
end

-- Whether `variable` applies at the point being walked (`current`: value indexes by position,
-- `named`: values by name), as its `when` says.
local function applies(variable, current, named, position)
  local when = variable.when
  if not when then return true end
  if when.fn then return when.fn(named) and true or false end
  for _, c in ipairs(when.conditions) do
    if not c.allowed[current[position[c.variable.name]]] then return false end
  end
  return true
end

function space.points()
  local variables = R.variables
  local n = #variables
  local position = {}
  for i, v in ipairs(variables) do position[v.name] = i end
  local units = walk_units(variables, position)
  local combinations = combination_count(variables)
  local codes, width = value_codes(variables)
  -- Codes gather in a batch joined every 1024 points: long strings, never interned one by one.
  local concat, batch, filled = table.concat, {}, 0
  local chunks, count, listed, excluded = {}, 0, 0, 0
  local current, named = {}, {}
  local exclusions = R.exclusions
  local function walk(u)
    if u > #units then
      listed = listed + 1
      for _, e in ipairs(exclusions) do
        if e.fn(named) then excluded = excluded + 1; return end
      end
      count = count + 1
      for i = 1, n do batch[filled + i] = codes[i][current[i]] end
      filled = filled + n
      if filled >= 1024 * n then
        chunks[#chunks + 1] = concat(batch, '', 1, filled)
        filled = 0
      end
      return
    end
    local unit = units[u]
    local first = variables[unit[1]]
    if #unit == 1 and not applies(first, current, named, position) then
      current[unit[1]], named[first.name] = 0, nil
      walk(u + 1)
      return
    end
    for k = 1, #first.values do
      for _, i in ipairs(unit) do current[i], named[variables[i].name] = k, variables[i].values[k] end
      walk(u + 1)
    end
    for _, i in ipairs(unit) do named[variables[i].name] = nil end
  end
  walk(1)
  chunks[#chunks + 1] = concat(batch, '', 1, filled)
  return table.concat(chunks), width, { combinations = combinations, not_applicable = combinations - listed, excluded = excluded, points = count }
end

--- mpf.search{var = NAME, ok = function(row) ... end}: a binary search over the values of
--- variable NAME (numbers in increasing order) for the highest one whose run is ok, for each
--- combination of the other variables (NPF's "zlt": the highest rate with no loss).
function space.search(opts)
  if type(opts) ~= 'table' then raise("mpf.search expects a table: mpf.search{var = 'rate', ok = function(row) return row.loss == 0 end}") end
  local fields = { var = true, ok = true, low = true, high = true, precision = true }
  for key in pairs(opts) do
    if not fields[key] then raise(("mpf.search: unknown field '%s' (fields: high, low, ok, precision, var)"):format(tostring(key))) end
  end
  if opts.low ~= nil or opts.high ~= nil then
    -- The searched variable declared here: low to high by precision (default 1).
    if R.variable_by_name[opts.var] then
      raise(("mpf.search: '%s' is already a variable; give low and high only for a variable the search declares"):format(tostring(opts.var)))
    end
    if type(opts.low) ~= 'number' or type(opts.high) ~= 'number' or opts.high <= opts.low then
      raise('mpf.search: low and high must be numbers, low < high')
    end
    local precision = opts.precision or 1
    if type(precision) ~= 'number' or precision <= 0 or (opts.high - opts.low) / precision > 1000000 then
      raise('mpf.search: precision must be a number > 0, and (high - low) / precision at most 1 000 000')
    end
    local declare = R.parts['mpf.declare']
    local ok, problem = pcall(declare.add_variable, opts.var, declare.range(opts.low, opts.high, precision))
    if not ok then raise((tostring(problem):gsub('^[^\n]-:%d+: ', ''))) end
    local variable = R.variables[#R.variables]
    local info = debug.getinfo(2, 'Sl')
    variable.source, variable.line = util.source_name(info), info.currentline
  elseif opts.precision ~= nil then
    raise('mpf.search: precision goes with low and high (the values of a declared variable are its own)')
  end
  local variable = R.variable_by_name[opts.var]
  if not variable then raise(("mpf.search: var must name a declared variable, got %s"):format(tostring(opts.var))) end
  if type(opts.ok) ~= 'function' then raise('mpf.search: ok must be a function(row) returning true when the run is good enough') end
  if variable.when then raise(("mpf.search: '%s' has a when condition; the searched variable always applies"):format(opts.var)) end
  for i, v in ipairs(variable.values) do
    if type(v) ~= 'number' or (i > 1 and v <= variable.values[i - 1]) then
      raise(("mpf.search: the values of '%s' must be numbers in increasing order (mpf.range or mpf.geometric)"):format(opts.var))
    end
  end
  if R.search then raise('mpf.search may be called once') end
  R.search = { var = opts.var, ok = opts.ok }
end

--- mpf.geometric(first, last, factor): first, first*factor, ... while within last (64, 128, ... 65536).
function space.geometric(first, last, factor)
  if type(first) ~= 'number' or type(last) ~= 'number' or type(factor) ~= 'number' then
    raise('mpf.geometric expects numbers: mpf.geometric(first, last, factor)')
  end
  if first == 0 or factor <= 0 or factor == 1 or (factor > 1) ~= (last >= first) or first * last < 0 then
    raise(('mpf.geometric(%s, %s, %s) never reaches %s: give a non-zero first and a factor that goes from first towards last'):format(first, last, factor, last))
  end
  local values, value = {}, first
  local integral = math.type(first) == 'integer' and math.type(factor) == 'integer'
  while (factor > 1 and value <= last * (1 + 1e-12)) or (factor < 1 and value >= last * (1 - 1e-12)) do
    values[#values + 1] = integral and value or tonumber(string.format('%.12g', value))
    if #values > 100000 then raise('mpf.geometric: more than 100 000 values') end
    value = value * factor
  end
  return values
end

--- mpf.logspace(first, last, n): n values from first to last, evenly spaced on a log scale.
function space.logspace(first, last, n)
  if type(first) ~= 'number' or type(last) ~= 'number' or math.type(n) ~= 'integer' or first <= 0 or last <= 0 or n < 2 then
    raise('mpf.logspace expects positive first and last and a whole n >= 2: mpf.logspace(1, 1000, 4)')
  end
  local values = {}
  local a, b = math.log(first), math.log(last)
  for i = 0, n - 1 do
    values[#values + 1] = tonumber(string.format('%.6g', math.exp(a + (b - a) * i / (n - 1))))
  end
  return values
end

return space
