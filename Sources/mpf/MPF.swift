import ArgumentParser
import MPFHost
import MPFCore
import MPFSystem

@main
struct MPF: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mpf",
    abstract: "Run performance experiments written in Lua, here or on a cluster.",
    discussion: """
      Examples:
        mpf examples/math.lua                   every role on this machine
        mpf examples/iperf.lua -c cluster.yaml  roles on the cluster's machines
        mpf examples/iperf.lua --n-runs 1       one run per point
        mpf show mpf_experiments/3f9a2c1e       a stored experiment (--format csv)
        mpf resume mpf_experiments/3f9a2c1e     what a stopped experiment misses
        mpf list                                stored experiments, newest first
        mpf exp.lua --seed 42 -- fast           a fixed order; mpf.args = {"fast"}
      """,
    version: MPFVersion.current,
    subcommands: [RunCommand.self, ResumeCommand.self, ShowCommand.self, ListCommand.self, PlotCommand.self, ReportCommand.self, CompareCommand.self, BisectCommand.self, ExportCommand.self, ReplayCommand.self, ReplCommand.self, CheckCommand.self, PlanCommand.self, TypesCommand.self, WorkerCommand.self],
    defaultSubcommand: RunCommand.self
  )

  static func main() {
    ThisProcess.returnFreedMemory()
    main(nil)
  }
}
