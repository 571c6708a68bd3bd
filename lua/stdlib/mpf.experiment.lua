-- mpf.experiment: mpf.run_experiment on the controller (and its end on a worker), on_run.

local util = require 'mpf.util'
local raise = util.raise
local is_identifier = util.is_identifier
local R = require 'mpf.registry'
local debug = debug -- the whole library: scripts get a smaller one (mpf.lua)
local host, mode, variables, variable_by_name, functions = R.host, R.mode, R.variables, R.variable_by_name, R.functions
require 'mpf.dataframe' -- the dataframe userdata's methods
local modules = require 'mpf.modules'
local shell = require 'mpf.shell'

local experiment = {}

-- Each problem of the declared functions; with `problems`, they are collected there (mpf check),
-- else the first is raised.
local function check_parameters(problems)
  local function problem(message)
    if problems then problems[#problems + 1] = message else error(message, 0) end
  end
  for _, f in ipairs(functions) do
    local variable = f.role and variable_by_name[f.role]
    if variable then
      -- role = 'name of a variable': the role of each run is that variable's value.
      for _, value in ipairs(variable.values) do
        if not is_identifier(value) then
          problem(("%s:%d: role '%s' is a variable, so its values must be role names; %s is not"):format(
            f.source, f.line, f.role, type(value) == 'string' and ("'" .. value .. "'") or tostring(value)))
          break
        end
      end
      if f.kind == 'init' then
        problem(("%s:%d: an init function needs a fixed role, not the variable '%s'"):format(f.source, f.line, f.role))
      end
    end
    for _, name in ipairs(f.params) do
      if name ~= 'ctx' and name ~= 'mpf_ctx' and not variable_by_name[name] then
        local known = {}
        for _, v in ipairs(variables) do known[#known + 1] = v.name end
        local hint = #known > 0 and ('variables: ' .. table.concat(known, ', ')) or 'no variable is defined'
        problem(("%s:%d: parameter '%s' is neither ctx nor a variable (%s)"):format(f.source, f.line, name, hint))
      elseif f.kind == 'init' and name ~= 'ctx' and name ~= 'mpf_ctx' then
        problem(("%s:%d: an init function runs once, before any run: it takes only ctx, not '%s'"):format(
          f.source, f.line, name))
      end
    end
  end
end

local befores, afters = {}, {}

-- In a role function, os.exit would end the worker, which the controller would take for a lost
-- machine: it raises instead, and the run fails with that message.
if mode == 'worker' then
  os.exit = function(code)
    raise(('os.exit(%s) in a function that runs on a node: return, or raise an error, instead'):format(tostring(code)))
  end
end

local function add_hook(api, list, fn)
  if type(fn) ~= 'function' then raise(('%s expects a function, got %s'):format(api, type(fn))) end
  list[#list + 1] = fn
  return fn
end

--- mpf.load(dir): the dataframe of a stored experiment (its runs so far, if it is stopped or
--- still running), from any script, without starting anything.
function experiment.load(dir)
  if R.replaying then return nil end
  if type(dir) ~= 'string' then raise('mpf.load expects an experiment directory or id') end
  return host.load(dir)
end

--- mpf.on(role, fn | 'command'): mpf repl: runs fn (or the shell command) on the role's machine
--- now, through a worker kept open between commands, and returns what fn returns; a command's
--- output is printed. role '*' runs it on every role at once and returns a table by role; a
--- role of several machines runs on each (a table by worker: client1, client2, ...), and a
--- worker's name reaches that machine alone.
function experiment.on(role, what)
  if type(role) ~= 'string' then raise("mpf.on expects a role name (or '*') and a function or command") end
  local command = nil
  if type(what) == 'string' then
    command = what
    what = function() return host.exec(command, false, 'mpf.on') end
  elseif type(what) ~= 'function' then
    raise("mpf.on expects a function or a command string, got " .. type(what))
  end
  local on_functions = R.on_functions
  on_functions[#on_functions + 1] = what
  if mode == 'worker' then return nil end
  if not R.interactive then raise('mpf.on is for mpf repl (a script declares functions with mpf.run and mpf.init)') end
  local ok, answers = pcall(host.on, role, #on_functions)
  if not ok then raise((tostring(answers):gsub('^[^:]*:%d+: ', ''))) end
  if command == nil then
    -- One machine: its answer; a role of several machines (or '*'): a table by worker name.
    if role ~= '*' and answers[role] ~= nil then return answers[role] end
    return answers
  end
  -- A command: its output, each line under its role's name when there are several.
  local roles = {}
  for name in next, answers do roles[#roles + 1] = name end
  table.sort(roles)
  local failed = nil
  for _, name in ipairs(roles) do
    local r = answers[name]
    local prefix = #roles > 1 and ('[' .. name .. '] ') or ''
    for _, line in ipairs(r.lines or {}) do print(prefix .. line) end
    if r.stderr and r.stderr ~= '' then
      for line in r.stderr:gmatch('[^\n]+') do print(prefix .. line) end
    end
    if r.code ~= 0 then failed = failed or r.code end
  end
  if failed then return failed end
end

--- mpf.before(fn): fn(ctx) runs once on the controller, when the experiment's directory exists
--- (ctx.experiment.id, ctx.experiment.dir) and before any worker starts: prepare inputs there.
function experiment.before(fn) return add_hook('mpf.before', befores, fn) end

--- mpf.after(fn): fn(df, ctx) runs once on the controller after the last run, with the
--- dataframe: post-process, export.
function experiment.after(fn) return add_hook('mpf.after', afters, fn) end

--- Called by the host once the experiment's directory is made, before the workers start.
function experiment.prepare(ctx)
  for _, fn in ipairs(befores) do fn(ctx) end
end

-- What the host builds the experiment from: the declared variables and functions, the options.
local function spec_of(opts)
  local space = R.parts['mpf.space']
  local points, point_width, point_counts = nil, nil, nil
  if space.needed() then points, point_width, point_counts = space.points() end
  local spec_variables, spec_functions = {}, {}
  for i, v in ipairs(variables) do
    spec_variables[i] = { name = v.name, values = v.values, labels = v.labels, source = v.source, line = v.line,
                          when = v.when and v.when.text }
  end
  for i, f in ipairs(functions) do
    local role_variable = f.role and variable_by_name[f.role] and f.role
    spec_functions[i] = {
      kind = f.kind, role = not role_variable and f.role or nil, role_variable = role_variable, link = f.link,
      delay = f.delay, parallel = f.parallel, timeout = f.timeout, retries = f.retries, aggregate = f.aggregate,
      params = f.params, source = f.source, line = f.line,
    }
  end
  return {
    variables = spec_variables, functions = spec_functions,
    n_runs = math.type(opts.n_runs) == 'integer' and opts.n_runs or type(opts.n_runs) == 'table' and opts.n_runs.min or nil,
    adaptive = type(opts.n_runs) == 'table' and opts.n_runs or nil,
    seed = math.type(opts.seed) == 'integer' and opts.seed or nil,
    on_error = opts.on_error, on_run = opts.on_run ~= nil, modules = modules.collect(),
    design = opts.design or (math.type(opts.wsp_target) == 'integer' and { kind = 'wsp', points = opts.wsp_target }) or nil,
    software = R.parts['mpf.software'].spec(),
    points = points, point_width = point_width, point_counts = point_counts,
    search = R.search and R.search.var or nil,
    label = opts.label,
    pinned = host.pins,
  }
end

-- The description, whose variables' lists are no longer kept by the declarations: what the
-- runs need the host has. At mpf repl's prompt they stay, for the next run_experiment.
local function handed_over(spec)
  if not R.interactive then
    for _, v in ipairs(variables) do v.values = nil end
    R.values_handed_over = true
  end
  -- What declaring left behind (an mpf.range's table, copied into the variable's list; the
  -- checks' tables) goes before the host reads the description, beside which it would stay.
  collectgarbage('collect')
  return spec
end

local option_problems = require('mpf.options').problems
local on_run = nil
local experiment_started = false

--- mpf.run_experiment{n_runs=, seed=}: runs every point n_runs times; returns the dataframe.
-- A worker stops its script at mpf.run_experiment for good: what follows runs on the
-- controller only. Replaying mpf repl's prompt goes on (experiments run from the controller).
local function stop_on_worker()
  if R.replaying then return nil end
  R.main_thread = coroutine.running()
  coroutine.yield()
  error('mpf.run_experiment: a worker script was resumed', 0)
end

-- `$name`s of ex commands that nothing would expand (no parameter, variable, Lua name, ctx
-- field or environment variable): likely typos, said by mpf check as warnings.
local function ex_name_warnings()
  local warnings, known = {}, {}
  for _, v in ipairs(variables) do known[v.name] = true end
  for _, f in ipairs(functions) do
    local names = setmetatable({}, { __index = known })
    for _, p in ipairs(f.params) do names[p] = true end
    for name in pairs(known) do names[name] = true end
    for _, unknown in ipairs(shell.unknown_names(f.fn, names)) do
      warnings[#warnings + 1] = ("%s:%d: warning: ex: $%s is not a parameter, a variable, a Lua name, a ctx field nor an environment variable: the shell expands it to nothing%s"):format(
        unknown.source, unknown.line, unknown.name, unknown.hint and (" (did you mean $" .. unknown.hint .. "?)") or '')
    end
  end
  return warnings
end

-- The roles the functions and software name, each with where: mpf check -c looks them up in
-- the cluster file.
local function named_roles()
  local roles = {}
  for _, f in ipairs(functions) do
    if f.role and not variable_by_name[f.role] then
      roles[#roles + 1] = { role = f.role, source = f.source, line = f.line }
    end
  end
  for _, software in ipairs(R.software or {}) do
    for _, role in ipairs(software.roles) do
      roles[#roles + 1] = { role = role, source = software.source, line = software.line }
    end
  end
  return roles
end

-- mpf check: every problem this call and the declarations have, for the host to read; then
-- the script stops. `info` is the script's call (debug.getinfo's 'Sl').
local function report_check(opts, info)
  local problems = {}
  -- The declarations' mistakes first (mpf.lua recorded them and went on), in script order.
  for _, message in ipairs(R.check_problems or {}) do problems[#problems + 1] = message end
  for _, message in ipairs(option_problems(opts)) do
    local place = info.currentline > 0 and ("%s:%d"):format(util.source_name(info), info.currentline) or util.source_name(info)
    problems[#problems + 1] = ("%s: %s"):format(place, message)
  end
  check_parameters(problems)
  R.check_report = { problems = problems, warnings = ex_name_warnings(), roles = named_roles(), variables = #variables,
                     functions = #functions, line = info.currentline, spec = spec_of(opts) }
  coroutine.yield()
  error('mpf.run_experiment: the script was resumed', 0)
end

-- mpf repl loads the script up to here: the experiment is declared, the prompt runs it.
local function pause_for_prompt(opts, line)
  R.script_options = opts
  R.script_line = line
  coroutine.yield()
  error('mpf.run_experiment: the script was resumed', 0)
end

-- At the prompt, the options given there over those of the loaded script's call.
local function over_script_options(opts)
  if not (R.interactive and R.script_options) then return opts end
  local merged = {}
  for key, value in next, R.script_options do merged[key] = value end
  for key, value in next, opts do merged[key] = value end
  return merged
end

-- The experiment itself: options checked, handed to the host, which runs it and returns the
-- dataframe; `mpf.after` functions see it.
local function start(opts)
  -- First: the declarations have let go of their values once an experiment started.
  if experiment_started and not R.interactive then raise('mpf.run_experiment may be called once per script') end
  local problems = option_problems(opts)
  if #problems > 0 then raise(problems[1]) end
  if opts.wsp_target ~= nil then
    -- The original mpf's form of design = {kind = 'wsp', points = N}.
    opts.design = { kind = 'wsp', points = opts.wsp_target }
  end
  -- At the prompt, an experiment may run again, but not from the on_run of one still running:
  -- its on_run would take the place of the running one's.
  if R.experiment_running then
    raise('mpf.run_experiment cannot start while an experiment runs (from its on_run): run it once that one has ended')
  end
  experiment_started = true
  on_run = opts.on_run
  check_parameters()
  -- The description is the call's only reference to itself (no local holds it), and the host
  -- takes it off the stack and collects once it is read: a variable of 100 000 values is 2 MB
  -- of Lua table that would otherwise stay for the whole experiment.
  R.experiment_running = true
  local data = host.run_experiment(handed_over(spec_of(opts)))
  R.experiment_running = nil
  for _, fn in ipairs(afters) do fn(data, { experiment = { id = data.id, dir = data.dir } }) end
  return data
end

function experiment.run_experiment(opts)
  opts = opts or {}
  if type(opts) ~= 'table' then raise('mpf.run_experiment expects a table of options') end
  -- A worker stops the script here by yielding to mpf: from inside the script's own coroutine
  -- that would end only the coroutine, and the script would go on past the call on every
  -- worker (and mpf check and plan would find no experiment).
  if not util.on_script_thread() then
    raise('mpf.run_experiment cannot be called inside a coroutine: call it from the script itself (each worker stops the script at this call)')
  end
  if mode == 'worker' then return stop_on_worker() end
  -- The user's line, through a pcall or a helper of the script's; none in a tail call
  -- (`return mpf.run_experiment{...}`): the script's file, line 0.
  local caller = util.user_frame() or { source = debug.getregistry()['mpf.script_chunk'] or '=?', short_src = '?', currentline = 0 }
  if R.checking then return report_check(opts, caller) end
  if R.loading_script then return pause_for_prompt(opts, caller.currentline) end
  return start(over_script_options(opts))
end

--- Called by the host for each finished run when run_experiment has on_run: the dataframe
--- of the runs so far and the new row.
function experiment.deliver(data, row)
  if on_run then on_run(data, row) end
  -- mpf.search: whether this run was good enough, for the search's next probe.
  if R.search then return R.search.ok(row) and true or false end
end

return experiment
