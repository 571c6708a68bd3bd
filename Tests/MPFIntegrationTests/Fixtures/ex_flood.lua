-- Commands with far more output than is kept: 38.9 MB in the foreground, 20.9 MB in the
-- background.
mpf.run{role = 'r'}(function()
  local out = ex 'seq 1 5000000'
  local done = os.tmpname()
  ex '(seq 1 3000000; echo ok > $done) &'
  while io.open(done):read('a') ~= 'ok\n' do mpf.sleep(0.05) end
  os.remove(done)
  return {lines = #out, cut = out.cut and 1 or 0, first = out[1], last = out[#out]}
end)
local df = mpf.run_experiment{n_runs = 1, seed = 1}
local row = df.rows[1]
print(row.lines < 1000000, row.cut, row.first, row.last)
