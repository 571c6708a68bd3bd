-- The fields a run sees in ctx, ctx.node and a role (for the types test).
local function keys(t) local k = {} for name in pairs(t) do k[#k + 1] = tostring(name) end table.sort(k) return table.concat(k, ',') end
mpf.run{role = 'a'}(function(ctx) return {k = keys(ctx), n = keys(ctx.node), r = keys(ctx.roles.a)} end)
local df = mpf.run_experiment{n_runs = 1}
print(df.rows[1].k, df.rows[1].n, df.rows[1].r)
