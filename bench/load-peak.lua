-- mpf.load of a stored experiment and nothing else: bench/results measures its peak memory.
local df = mpf.load(assert(mpf.args[1], 'usage: mpf bench/load-peak.lua -- EXPERIMENT_DIR'))
print(#df)
