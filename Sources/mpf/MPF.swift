import ArgumentParser
import MPFHost
import MPFCore

@main
struct MPF: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mpf",
    abstract: "Run performance experiments written in Lua, on this machine or across a cluster.",
    discussion: """
      Examples:
        mpf examples/math.lua                     every role runs on this machine
        mpf examples/iperf.lua -c cluster.yaml    roles on the cluster's machines, over ssh
        mpf examples/iperf.lua --n-runs 1         one run per point
        mpf show mpf_experiments/3f9a2c1e         print a stored experiment (--format csv, json, yaml)
        mpf resume mpf_experiments/3f9a2c1e       run what a stopped experiment is missing
        mpf list                                  the stored experiments, newest first
        mpf examples/math.lua --seed 42 --out results -- fast
                                                  fixed order, results under results/, mpf.args = {"fast"}
      """,
    version: MPFVersion.current,
    subcommands: [RunCommand.self, ResumeCommand.self, ShowCommand.self, ListCommand.self, PlotCommand.self, ReportCommand.self, CompareCommand.self, ReplCommand.self, CheckCommand.self, PlanCommand.self, TypesCommand.self, WorkerCommand.self],
    defaultSubcommand: RunCommand.self
  )

  static func main() {
    ThisProcess.returnFreedMemory()
    main(nil)
  }
}
