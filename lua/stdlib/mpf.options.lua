-- mpf.options: run_experiment's options and `--pin`s, checked in one place that
-- `mpf.run_experiment` (which raises the first problem) and `mpf check` (which reports them
-- all) share, so that check and plan accept exactly what a run accepts.

local util = require 'mpf.util'
local names_of = util.names_of
local R = require 'mpf.registry'
local host, variables, variable_by_name = R.host, R.variables, R.variable_by_name

local options = {}

local experiment_options = { n_runs = 'number', seed = 'number', on_error = 'string', on_run = 'function', design = 'table', wsp_target = 'number',
                             label = 'string' }
local function n_runs_problem(n)
  if type(n) ~= 'table' then
    if n ~= nil and (math.type(n) ~= 'integer' or n < 1) then return 'mpf.run_experiment: n_runs must be a whole number >= 1' end
    return nil
  end
  -- Adaptive repetitions: {min =, max =, until_ci =, on =}.
  for key in pairs(n) do
    if key ~= 'min' and key ~= 'max' and key ~= 'until_ci' and key ~= 'on' then
      return ("mpf.run_experiment: unknown n_runs field '%s' (fields: max, min, on, until_ci)"):format(tostring(key))
    end
  end
  if math.type(n.min) ~= 'integer' or n.min < 2 then return 'mpf.run_experiment: n_runs.min must be a whole number >= 2 (an interval needs two runs)' end
  if math.type(n.max) ~= 'integer' or n.max < n.min or n.max > 10000 then
    return 'mpf.run_experiment: n_runs.max must be a whole number between n_runs.min and 10000'
  end
  if type(n.until_ci) ~= 'number' or not (n.until_ci > 0 and n.until_ci < 10) then
    return 'mpf.run_experiment: n_runs.until_ci must be a number > 0: the 95% interval\'s half-width relative to the mean (0.05: 5%)'
  end
  if type(n.on) ~= 'string' or n.on == '' then return 'mpf.run_experiment: n_runs.on must name the result to watch' end
  return nil
end

local function design_problem(opts)
  if opts.wsp_target ~= nil then
    -- The original mpf's form of design = {kind = 'wsp', points = N}.
    if opts.design then return 'mpf.run_experiment: give design or wsp_target, not both' end
    if math.type(opts.wsp_target) ~= 'integer' or opts.wsp_target < 1 then return 'mpf.run_experiment: wsp_target must be a whole number >= 1' end
  end
  local design = opts.design
  if type(design) ~= 'table' then return nil end
  for key in pairs(design) do
    if key ~= 'kind' and key ~= 'points' and key ~= 'file' then
      return ("mpf.run_experiment: unknown design field '%s' (fields: file, kind, points)"):format(tostring(key))
    end
  end
  if design.file ~= nil then
    if type(design.file) ~= 'string' or design.kind ~= nil or design.points ~= nil then
      return 'mpf.run_experiment: design = {file = PATH} (points from mpf plan --points-out) takes no kind or points'
    end
    return nil
  end
  if design.kind ~= 'random' and design.kind ~= 'lhs' and design.kind ~= 'wsp' then
    return "mpf.run_experiment: design.kind must be 'random', 'lhs' or 'wsp' (or give design.file)"
  end
  if math.type(design.points) ~= 'integer' or design.points < 1 then
    return 'mpf.run_experiment: design.points must be a whole number >= 1 (how many points to choose)'
  end
  return nil
end

-- The one value `--pin NAME=TEXT` holds `v` to: the declared value whose text (or label) is
-- TEXT, with its label; else, for a variable of numbers, TEXT as a finite number; else TEXT
-- itself (a commit for a git ref). Nil and a problem when TEXT cannot be one.
local function pinned_value(v, text)
  for i, value in ipairs(v.values) do
    if tostring(value) == text or (v.labels and v.labels[i] == text) then return { value }, v.labels and { v.labels[i] } end
  end
  local numeric = #v.values > 0
  for _, value in ipairs(v.values) do if type(value) ~= 'number' then numeric = false end end
  if not numeric then return { text }, nil end
  local number = tonumber(text)
  if number == nil or number ~= number or number == math.huge or number == -math.huge then
    local shown = {}
    for i = 1, math.min(#v.values, 5) do shown[i] = tostring(v.values[i]) end
    return nil, nil, ("--pin %s=%s: '%s' is a variable of numbers (%s%s): give a finite number"):format(
      v.name, text, v.name, table.concat(shown, ', '), #v.values > 5 and ', ...' or '')
  end
  return { math.tointeger(number) or number }, nil
end

-- `--pin NAME=VALUE` (mpf bisect's probes): each named variable holds one value. Applied once
-- every variable is declared, so that a `when` naming another value of a pinned variable still
-- holds (it then never applies). A pin naming no variable would pin nothing and run the whole
-- space unsaid: a problem.
local function apply_pins(problems)
  local names = {}
  for name in next, host.pins or {} do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local v = variable_by_name[name]
    if not v then
      local known = {}
      for _, declared in ipairs(variables) do known[#known + 1] = declared.name end
      problems[#problems + 1] = ("--pin %s=...: the script declares no variable '%s' (%s)"):format(
        name, name, #known > 0 and ('variables: ' .. table.concat(known, ', ')) or 'it declares none')
    elseif not v.pinned then
      local list, labels, problem = pinned_value(v, host.pins[name])
      if problem then
        problems[#problems + 1] = problem
      else
        v.values, v.labels, v.pinned = list, labels, true
      end
    end
  end
end

-- The problems of run_experiment's options (the pins applied first), each a message without a place.
function options.problems(opts)
  local problems = {}
  apply_pins(problems)
  local keys = {}
  for key in next, opts do keys[#keys + 1] = key end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local typed = true
  for _, key in ipairs(keys) do
    local value = opts[key]
    if not experiment_options[key] then
      problems[#problems + 1] = ("mpf.run_experiment: unknown option '%s' (options: %s)"):format(tostring(key), names_of(experiment_options))
    elseif type(value) ~= experiment_options[key] and not (key == 'n_runs' and type(value) == 'table') then
      problems[#problems + 1] = ("mpf.run_experiment: option '%s' must be a %s"):format(key, experiment_options[key])
      typed = false
    end
  end
  if not typed then return problems end
  problems[#problems + 1] = n_runs_problem(opts.n_runs)
  if #problems == 0 then
    -- The plan is held in memory: refuse one that cannot be, here, rather than abort later.
    local runs = type(opts.n_runs) == 'table' and opts.n_runs.max or opts.n_runs or 3
    for _, v in ipairs(variables) do runs = runs * #v.values end
    if runs > 10000000 then
      problems[#problems + 1] = ('mpf.run_experiment: the plan has %.0f runs (the product of the variables\' values times n_runs); mpf runs at most 10 000 000 in one experiment'):format(runs)
    end
  end
  problems[#problems + 1] = design_problem(opts)
  if opts.on_error and opts.on_error ~= 'continue' and opts.on_error ~= 'stop' then
    problems[#problems + 1] = "mpf.run_experiment: on_error must be 'continue' or 'stop'"
  end
  return problems
end

return options
