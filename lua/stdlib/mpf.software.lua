-- mpf.software: software under test that mpf deploys and builds on the nodes of some roles,
-- before the init functions (the controller does it; see docs/lua-api.md).
-- Misuse raises with raise(msg) so that messages point at the user's line.

local util = require 'mpf.util'
local raise = util.raise
local is_identifier, sorted_keys, is_sequence = util.is_identifier, util.sorted_keys, util.is_sequence
local R = require 'mpf.registry'
local debug = debug -- the whole library: scripts get a smaller one (mpf.lua)

local software = {}
R.software = R.software or {}

local fields = {
  name = 'string', roles = 'table', role = 'string', dir = 'string', git = 'table',
  apt = 'table', dnf = 'table', build = 'table', build_timeout = 'number',
}

local function strings(value, what, check)
  if type(value) == 'string' then value = { value } end
  if type(value) ~= 'table' or (next(value) ~= nil and not is_sequence(value)) then
    raise(('mpf.software: %s must be a list of strings'):format(what))
  end
  local out = {}
  for i, item in ipairs(value) do
    if type(item) ~= 'string' or item == '' then
      raise(('mpf.software: %s[%d] must be a non-empty string, got %s'):format(what, i, type(item)))
    end
    if check then check(item, ('%s[%d]'):format(what, i)) end
    out[i] = item
  end
  return out
end

-- A package name as apt and dnf know them: never an option, never two words.
local function package_name(item, what)
  if not item:match('^[%w][%w%.%+%-_:]*$') then
    raise(("mpf.software: %s '%s' is not a package name"):format(what, item))
  end
end

--- mpf.software{name=, roles=, dir= | git={url=, ref=}, apt=, dnf=, build=, build_timeout=}
function software.declare(opts)
  if type(opts) ~= 'table' then
    raise("mpf.software expects a table: mpf.software{name = 'app', roles = {'server'}, dir = '../app', build = {'make'}}")
  end
  for key, value in pairs(opts) do
    if not fields[key] then
      raise(("mpf.software: unknown field '%s' (fields: %s)"):format(tostring(key), table.concat(sorted_keys(fields), ', ')))
    end
    if type(value) ~= fields[key] and not ((key == 'build' or key == 'apt' or key == 'dnf' or key == 'roles') and type(value) == 'string') then
      raise(("mpf.software: field '%s' must be a %s, got %s"):format(key, fields[key], type(value)))
    end
  end
  if not is_identifier(opts.name) then
    raise("mpf.software: name must be an identifier (it is ctx.software.NAME in functions)")
  end
  for _, other in ipairs(R.software) do
    if other.name == opts.name then
      raise(("mpf.software: '%s' is already declared at %s:%d"):format(opts.name, other.source, other.line))
    end
  end
  if (opts.roles == nil) == (opts.role == nil) then raise('mpf.software: give roles (a list) or role') end
  local roles = strings(opts.roles or opts.role, 'roles', function(item, what)
    if not is_identifier(item) then raise(("mpf.software: %s '%s' must be an identifier"):format(what, item)) end
  end)
  if #roles == 0 then raise('mpf.software: roles is empty') end
  if (opts.dir == nil) == (opts.git == nil) then
    raise("mpf.software: give dir (a folder of this machine) or git = {url = ..., ref = ...}")
  end
  local git
  if opts.git then
    for key in pairs(opts.git) do
      if key ~= 'url' and key ~= 'ref' then raise(("mpf.software: unknown git field '%s' (fields: ref, url)"):format(tostring(key))) end
    end
    if type(opts.git.url) ~= 'string' or opts.git.url == '' then raise('mpf.software: git.url must be a string') end
    if opts.git.ref ~= nil and (type(opts.git.ref) ~= 'string' or opts.git.ref == '') then
      raise('mpf.software: git.ref must be a string (a branch, tag or commit; $name for a variable)')
    end
    git = { url = opts.git.url, ref = opts.git.ref or 'HEAD' }
  end
  local timeout = opts.build_timeout
  if timeout ~= nil and not (timeout > 0 and timeout < math.huge) then
    error('mpf.software: build_timeout must be a number of seconds > 0 (each build step may run that long)', 2)
  end
  local info = debug.getinfo(2, 'Sl')
  R.software[#R.software + 1] = {
    name = opts.name, roles = roles, dir = opts.dir, git = git,
    apt = strings(opts.apt or {}, 'apt', package_name), dnf = strings(opts.dnf or {}, 'dnf', package_name),
    build = strings(opts.build or {}, 'build'), build_timeout = timeout,
    source = util.source_name(info), line = info.currentline,
  }
end

--- What run_experiment hands to the controller.
function software.spec()
  local out = {}
  for i, s in ipairs(R.software) do
    out[i] = {
      name = s.name, roles = s.roles, dir = s.dir, git = s.git, apt = s.apt, dnf = s.dnf, build = s.build,
      build_timeout = s.build_timeout, source = s.source, line = s.line,
    }
  end
  return out
end

return software
