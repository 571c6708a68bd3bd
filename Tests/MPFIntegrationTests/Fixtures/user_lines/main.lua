-- Misuses of mpf's API at several depths: each message names this file (or the module) and
-- the line of the misuse, never a place inside mpf's library.
local function register_typo()
  mpf.run{role = 'a', dely = 1}(function() end)
end
local function deeper() register_typo() end
print(select(2, pcall(mpf.run, {role = 'a', dely = 1})))
print(select(2, pcall(register_typo)))
print(select(2, pcall(deeper)))
print(select(2, pcall(mpf.add_variable, 'x', {})))
print(select(2, pcall(function() mpf.range(1, 'b') end)))
print(select(2, pcall(require('helper').register)))
print(select(2, pcall(mpf.load, 42)))
print(select(2, pcall(mpf.load, 'no-such-experiment')))
mpf.run{role = 'a', dely = 2}(function() end)
