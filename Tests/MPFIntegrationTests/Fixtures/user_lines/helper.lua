-- A module of the script's: its misuse of mpf is reported at its own line.
local helper = {}
function helper.register()
  mpf.run{role = 'a', dely = 1}(function() end)
end
return helper
