-- mpf.md files that are not plain files, or too big: a FIFO, a symbolic link loop, a link to
-- a device, a 300 MiB sparse file; and one ordinary file.
mpf.run{role = 'r'}(function()
  local dir = mpf.md('run')
  ex('cd $dir && echo hello > ok.txt && mkfifo fifo && ln -s . loop && ln -s /dev/zero zero && truncate -s 300M big')
  return {done = 1}
end)
mpf.run_experiment{n_runs = 1, seed = 1}
