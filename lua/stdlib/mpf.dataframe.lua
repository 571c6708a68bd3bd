-- mpf.dataframe: the dataframe a script gets from mpf.run_experiment (controller only).
--
-- A dataframe is a userdata of type 'mpf.DataFrame' holding the host's dataframe: Lua cannot
-- forge or change one. Its metatable is made by the host; this module fills it in. Fields
-- (rows, columns, variables, results, units, failed) are read from the host once per
-- dataframe and kept while it lives.

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
  if type(path) ~= 'string' then error('to_csv expects a file path', 2) end
  host.dataframe('write', self, 'csv', path)
end

--- df:to_json(path): writes the dataframe as a JSON list of rows.
function methods:to_json(path)
  if type(path) ~= 'string' then error('to_json expects a file path', 2) end
  host.dataframe('write', self, 'json', path)
end

--- df:to_yaml(path): writes the dataframe as a YAML list of rows.
function methods:to_yaml(path)
  if type(path) ~= 'string' then error('to_yaml expects a file path', 2) end
  host.dataframe('write', self, 'yaml', path)
end

--- df:column(name): the column's values as a list.
function methods:column(name)
  local known = false
  for _, column in ipairs(self.columns) do known = known or column == name end
  if not known and name ~= 'repetition' and name ~= 'status' and name ~= 'error' then
    error(("df:column: no column '%s' (columns: %s)"):format(tostring(name), table.concat(self.columns, ', ')), 2)
  end
  local values = {}
  for i, row in ipairs(self.rows) do values[i] = row[name] end
  return values
end

return DataFrame
