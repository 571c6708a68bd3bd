-- Which commit slowed spin down? The version of examples/spin is a variable: the git ref of
-- mpf.software. Make a history to search first (examples/make-history.sh), then:
--
--   mpf examples/bisect.lua -- /tmp/history          # v1 and main side by side
--   mpf bisect examples/bisect.lua --variable version --good v1 --bad main --on time -- /tmp/history
--
-- mpf bisect measures v1 and main, then about log2(commits) commits between them, each an
-- experiment of its own with version pinned to that commit; a commit that does not build is
-- skipped. Running it again reuses every experiment stored.
local repository = mpf.args[1] or 'history'
mpf.add_variable('version', {'v1', 'main'})
mpf.software{name = 'spin', role = 'node', git = {url = repository, ref = '$version'},
  apt = {'gcc', 'make'}, dnf = {'gcc', 'make'}, build = {'make'}}

mpf.run{role = 'node'}(function(ctx)
  local out = ex(ctx.software.spin.dir .. '/spin 50')
  return {time = out[1]:match('^%S+ s')}
end)

mpf.run_experiment{n_runs = 5}
