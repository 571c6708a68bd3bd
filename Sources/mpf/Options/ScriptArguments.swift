import ArgumentParser

/// What follows `--`: the script's own arguments, `mpf.args` (run, resume, plan, check, repl).
struct ScriptArguments: ParsableArguments {
  @Argument(
    parsing: .postTerminator,
    help: ArgumentHelp("Arguments for the script after `--` (mpf.args; resume: default the experiment's).", valueName: "arguments"))
  var values: [String] = []
}
