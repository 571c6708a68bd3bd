-- A __pairs metamethod must not hide a field the host would store.
mpf.run{role = 'a'}(function()
  return setmetatable({hidden = {1, 2}}, {__pairs = function() return next, {fine = 1} end})
end)
mpf.run_experiment{n_runs = 1}
