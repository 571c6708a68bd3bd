import ArgumentParser

/// The experiment script a command reads (run, check, plan).
struct ScriptArgument: ParsableArguments {
  @Argument(help: ArgumentHelp("The experiment script (Lua).", valueName: "script"))
  var path: String
}
