-- mpf.dataframe: the dataframe a script gets from mpf.run_experiment (controller only).
--
-- A dataframe is a userdata of type 'mpf.DataFrame' holding the host's dataframe: Lua cannot
-- forge or change one. Its metatable is made by the host; this module fills it in. Fields
-- (rows, columns, variables, results, units, labels, failed) are read from the host once per
-- dataframe and kept while it lives.

local raise = require('mpf.util').raise
local R = require 'mpf.registry'
local host = R.host

local DataFrame = debug.getregistry()['mpf.DataFrame']
local methods = {}
local data_of = setmetatable({}, { __mode = 'k' })

local function data(df)
  local d = data_of[df]
  if d == nil then
    d = host.dataframe('data', df)
    data_of[df] = d
  end
  return d
end

DataFrame.__index = function(df, key)
  local method = methods[key]
  if method ~= nil then return method end
  return data(df)[key]
end
DataFrame.__tostring = function(df) return host.dataframe('format', df) end
DataFrame.__len = function(df) return host.dataframe('len', df) end
DataFrame.__name = 'mpf.DataFrame'

--- df:to_csv(path): writes the dataframe as CSV (labels for variables, base units for results).
function methods:to_csv(path)
  if type(path) ~= 'string' then raise('to_csv expects a file path') end
  host.dataframe('write', self, 'csv', path)
end

--- df:to_json(path): writes the dataframe as a JSON list of rows.
function methods:to_json(path)
  if type(path) ~= 'string' then raise('to_json expects a file path') end
  host.dataframe('write', self, 'json', path)
end

--- df:to_yaml(path): writes the dataframe as a YAML list of rows.
function methods:to_yaml(path)
  if type(path) ~= 'string' then raise('to_yaml expects a file path') end
  host.dataframe('write', self, 'yaml', path)
end

local function is_dataframe(value) return getmetatable(value) == DataFrame end

-- Asks the host for a verb; its refusal (an unknown column, say) is raised at the line of
-- the script that called the method, not here.
local function verb(operation, ...)
  local ok, result = pcall(host.dataframe, operation, ...)
  if not ok then raise((tostring(result):gsub('^[^:]*:%d+: ', ''))) end
  return result
end

--- df:filter{name = value, ...} or df:filter(function(row) ... end): the rows that match.
function methods:filter(condition)
  if type(condition) == 'table' then return verb('filter_equal', self, condition) end
  if type(condition) ~= 'function' then raise('df:filter expects {column = value, ...} or a function(row)') end
  local keep = {}
  for i, row in ipairs(self.rows) do
    if condition(row) then keep[#keep + 1] = i end
  end
  return verb('take', self, keep)
end

--- df:select{'a', 'b'}: these columns, in this order.
function methods:select(names)
  if type(names) ~= 'table' then raise("df:select expects a list of column names: df:select{'a', 'b'}") end
  return verb('select', self, names)
end

--- df:sort{'a', 'b', desc = true}: rows sorted by these columns.
function methods:sort(spec)
  if type(spec) == 'string' then spec = { spec } end
  if type(spec) ~= 'table' then raise("df:sort expects {'column', ..., desc = true}") end
  local names = {}
  for i, name in ipairs(spec) do names[i] = name end
  return verb('sort', self, names, spec.desc == true)
end

--- df:mutate{name = function(row) ... end, ...}: new columns computed from each row.
function methods:mutate(spec)
  if type(spec) ~= 'table' then raise('df:mutate expects {name = function(row) ... end}') end
  local df = self
  local names = {}
  for name in pairs(spec) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local fn = spec[name]
    if type(fn) ~= 'function' then raise(("df:mutate: '%s' must be a function(row)"):format(tostring(name))) end
    local values = {}
    for i, row in ipairs(self.rows) do values[i] = fn(row) end
    df = verb('with_column', df, name, values)
  end
  return df
end

--- df:concat(other): the rows of other after these.
function methods:concat(other)
  if not is_dataframe(other) then raise('df:concat expects a dataframe') end
  return verb('concat', self, other)
end

--- df:pivot{index = 'a', columns = 'b', values = 'c'}: a wide table of the means of c.
function methods:pivot(spec)
  if type(spec) ~= 'table' or type(spec.index) ~= 'string' or type(spec.columns) ~= 'string' or type(spec.values) ~= 'string' then
    raise("df:pivot expects {index = 'column', columns = 'column', values = 'column'}")
  end
  return verb('pivot', self, spec.index, spec.columns, spec.values)
end

local plot_options = { y = 'string', x = 'string', by = 'table', kind = 'string', logx = 'boolean', logy = 'boolean',
                       file = 'string', term = 'boolean', title = 'string' }

--- df:plot{y = 'result', x =, by =, kind =, logx =, logy =, title =, file =}: draws a graph
--- as SVG (with its CSV and matplotlib script beside it) and returns the SVG's path; with
--- term = true, draws it in the terminal instead.
function methods:plot(spec)
  if type(spec) == 'string' then spec = { y = spec } end
  if type(spec) ~= 'table' or type(spec.y) ~= 'string' then
    raise("df:plot expects {y = 'result', x = 'variable', by = {...}, kind = 'line'}")
  end
  local options = {}
  for key, value in next, spec do
    local expected = plot_options[key]
    if expected == nil then raise(("df:plot: unknown option '%s' (options: y, x, by, kind, logx, logy, title, file, term)"):format(tostring(key))) end
    if key == 'by' and type(value) == 'string' then value = { value } end
    if type(value) ~= expected then raise(("df:plot: option %s expects a %s"):format(key, expected)) end
    options[key] = value
  end
  local result = verb('plot', self, options)
  if spec.term then
    io.write(result)
    return -- no value: the prompt shows the graph, not a nil after it
  end
  return result
end

local Grouped = {}
Grouped.__index = Grouped

--- df:group_by{'a', 'b'}: groups of rows with equal values; :agg{...} makes one row of each.
function methods:group_by(keys)
  if type(keys) == 'string' then keys = { keys } end
  if type(keys) ~= 'table' then raise("df:group_by expects a list of column names: df:group_by{'a', 'b'}") end
  return setmetatable({ df = self, keys = keys }, Grouped)
end

--- grouped:agg{col = 'mean' | {'mean', 'ci95'} | function(values) ... end, ...}: one row per
--- group, its keys then each aggregate (named col, or col_mean when a column has several).
function Grouped:agg(spec)
  if type(spec) ~= 'table' then raise("agg expects {column = 'mean', ...}") end
  local columns = {}
  for name in pairs(spec) do columns[#columns + 1] = name end
  table.sort(columns)
  local named, computed = {}, {}
  for _, column in ipairs(columns) do
    local how = spec[column]
    local list = type(how) == 'table' and how or { how }
    for _, fn in ipairs(list) do
      local output = #list > 1 and (column .. '_' .. (type(fn) == 'string' and fn or 'fn')) or column
      if type(fn) == 'string' then
        named[#named + 1] = { output, column, fn }
      elseif type(fn) == 'function' then
        computed[#computed + 1] = { output, column, fn }
      else
        raise(("agg: the aggregate of '%s' must be a name ('mean', ...) or a function(values)"):format(column))
      end
    end
  end
  local result = verb('agg', self.df, self.keys, named)
  if #computed > 0 then
    local groups = verb('groups', self.df, self.keys)
    local rows = self.df.rows
    for _, item in ipairs(computed) do
      local output, column, fn = item[1], item[2], item[3]
      local values = {}
      for g, members in ipairs(groups.rows) do
        local cells = {}
        for _, i in ipairs(members) do
          local v = rows[i][column]
          if v ~= nil then cells[#cells + 1] = v end
        end
        values[g] = fn(cells)
      end
      result = verb('with_column', result, output, values)
    end
  end
  return result
end

--- df:column(name): the column's values as a list.
function methods:column(name)
  local known = false
  for _, column in ipairs(self.columns) do known = known or column == name end
  if not known and name ~= 'repetition' and name ~= 'status' and name ~= 'error' then
    raise(("df:column: no column '%s' (columns: %s)"):format(tostring(name), table.concat(self.columns, ', ')))
  end
  local values = {}
  for i, row in ipairs(self.rows) do values[i] = row[name] end
  return values
end

return DataFrame
