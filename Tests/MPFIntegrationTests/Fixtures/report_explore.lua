-- A report to explore: 6 sizes × 2 protocols, zero-copy only for tcp (`when`), 4 runs each; a
-- label that tries to close the page's data block.
mpf.add_variable('size', {1, 2, 4, 8, 16, 32})
mpf.add_variable('proto', {tcp = 'tcp', udp = 'udp</script><!--\u{2028}'})
mpf.add_variable('zc', {[''] = 'off', ['-Z'] = 'on'}, {when = {proto = 'tcp'}})
mpf.run{role = 'node'}(function(size, proto, zc)
  local base = proto == 'tcp' and 100 or 60
  return {rate = (base + size * 3 + (zc == '-Z' and 20 or 0) + math.random() * 5) .. ' Mbits/s',
          latency = (10 + size * 0.5 + math.random()) .. ' ms'}
end)
mpf.run_experiment{n_runs = 4, seed = 3}
