-- mpf.call: the worker side: calling a registered function with a run's context and values.

local util = require 'mpf.util'
local raise = util.raise
local names_of = util.names_of
local scalar_types = util.scalar_types
local R = require 'mpf.registry'
local host, variable_by_name, functions = R.host, R.variable_by_name, R.functions

local call = {}

-- A mistake of the script that every run would repeat: raised with the kind 'usage', so that
-- mpf stops after the first run shows it instead of failing the whole campaign.
local function mistake(message)
  host.mark_error('usage', message)
  error(message, 0)
end

-- ctx.roles as last sent: the controller sends it once per worker (and again when a spare
-- changes it), not with every call (32 machines' description on every call of every run).
local last_roles

local function make_context(ctx)
  if ctx.roles == nil and last_roles ~= nil then
    ctx.roles = last_roles
    return ctx
  end
  local given = ctx.roles ~= nil
  local roles = ctx.roles or {}
  ctx.roles = setmetatable(roles, {
    __index = function(_, name)
      raise(("unknown role '%s' (roles: %s)"):format(tostring(name), names_of(roles)))
    end,
  })
  if given then last_roles = roles end
  return ctx
end

--- Calls registered function `index` with the run's context and variable values; checks the
--- returned table and gives it back. Errors carry the function's location.
function call.call(index, ctx, values)
  if index < 0 then
    -- mpf repl's mpf.on: any value comes back, as the prompt shows it.
    local fn = R.on_functions[-index]
    if fn == nil then error(('no mpf.on function %d'):format(-index), 0) end
    local result = fn(make_context(ctx)) -- not a tail call: ex looks up its caller's names
    return result
  end
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
    mistake(("%s: the function returned a %s; return a table of name = value, or nothing"):format(at, type(result)))
  end
  -- Raw iteration, as the host copies the table: a __pairs metamethod cannot hide a field.
  for name, value in next, result do
    if type(name) ~= 'string' then
      mistake(("%s: the function returned a table with a %s key; result names must be strings"):format(at, type(name)))
    end
    if util.reserved_columns[name] then
      mistake(("%s: result '%s' has the name of a column mpf adds to every row (repetition, status, error); rename the result"):format(at, name))
    end
    if variable_by_name[name] then
      mistake(("%s: result '%s' has the name of a variable; rename the result"):format(at, name))
    end
    if not scalar_types[type(value)] then
      mistake(("%s: result '%s' is a %s; results must be numbers, strings or booleans"):format(at, name, type(value)))
    end
  end
  return result
end

return call
