-- A first experiment that needs no tool: two roles on this machine, a value->label map,
-- a helper shared by the roles, ex with $name expansion, and results with units.
--
--   mpf examples/math.lua
--   mpf examples/math.lua --n-runs 1 --seed 42 -- 100    (mpf.args[1] sets the scale)

local scale = tonumber(mpf.args[1]) or 10

mpf.add_variable('x', mpf.range(1, 4))
mpf.add_variable('op', {add = 'x + scale', mul = 'x * scale'})

-- A helper: functions see the script's globals and locals on every worker.
local function compute(x, op)
  if op == 'add' then return x + scale end
  return x * scale
end

mpf.init{role = 'checker'}(function(ctx)
  print('checker ready on ' .. ctx.roles.checker.interfaces[1].ip)
end)

mpf.run{role = 'calculator'}(function(x, op)
  return {value = compute(x, op)}
end)

mpf.run{role = 'checker'}(function(ctx, x, op)
  -- The shell computes the same thing: $x, $symbol and $scale come from Lua.
  local symbol = op == 'add' and '+' or '*'
  local out = ex 'echo $(( $x $symbol $scale ))'
  -- A string with a unit becomes a number in base units: '8 KiB' is 8192 bytes.
  return {shell = tonumber(out[1]), buffer = ('%d KiB'):format(x * 8)}
end)

local df = mpf.run_experiment{n_runs = 2, seed = 1}
print(df)

-- After run_experiment, the script runs on the controller only.
for _, row in ipairs(df.rows) do
  assert(row.value == row.shell, 'the shell and Lua disagree')
end
print(('%d runs, %d failed, buffer unit: %s'):format(#df, df.failed, df.units.buffer))
