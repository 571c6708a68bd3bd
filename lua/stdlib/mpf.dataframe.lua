-- mpf.dataframe: the dataframe a script gets from mpf.run_experiment (controller only).

local R = require 'mpf.registry'
local host, mode = R.host, R.mode
local variables, variable_by_name, functions = R.variables, R.variable_by_name, R.functions

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

return DataFrame
