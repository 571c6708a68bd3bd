-- Over ssh: mpf.md collection, a link function on both ends, a role chosen by a variable, and
-- a role living in a network namespace pinned to a cpu.
mpf.add_variable('x', {1, 2})
mpf.add_variable('where', {'left', 'right'})

mpf.init{role = 'left'}(function(ctx)
  local f = io.open(mpf.md('exp') .. '/init.txt', 'w')
  f:write('from init on ' .. ctx.role)
  f:close()
end)

mpf.run{role = 'left'}(function(ctx, x)
  local dir = mpf.md('run')
  ex 'echo run $x > $dir/out.txt'
  local fdir = mpf.md('fun')
  ex 'mkdir -p $fdir/deep && echo deep $x > $fdir/deep/f.txt'
end)

mpf.run{link = 'l1'}(function(ctx)
  return {[ctx.role .. '_end'] = ctx.interface.name .. '@' .. ex('hostname -I')[1]:gsub('%s+$', '')}
end)

mpf.run{role = 'where'}(function(ctx, where)
  return {ran_on = ctx.role, at = ex('hostname -I')[1]:gsub('%s+$', '')}
end)

mpf.run{role = 'pinned'}(function(ctx)
  return {pinned_ip = ex('hostname -I')[1]:gsub('%s+$', ''), cpus = ex("taskset -cp $$ | sed 's/.*: //'")[1]}
end)

local df = mpf.run_experiment{n_runs = 1, seed = 1}
for _, row in ipairs(df.rows) do
  print(('%d %s %s %s %s %s %s %s'):format(row.x, row.where, row.left_end, row.right_end, row.ran_on, row.at,
    row.pinned_ip, row.cpus))
end
