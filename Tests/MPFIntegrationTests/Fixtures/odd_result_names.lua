-- Results whose names look alike once made file names, and one longer than a file name may be.
mpf.add_variable('x', {1, 2})
local long = string.rep('very_long_result_name_', 14)  -- 308 bytes
mpf.run{role = 'r'}(function(x)
  return {['a b'] = x, ['a/b'] = 2 * x, a_b = 3 * x, [long] = 4 * x}
end)
mpf.run_experiment{n_runs = 2}
