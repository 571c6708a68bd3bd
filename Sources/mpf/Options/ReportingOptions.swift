import ArgumentParser

/// `-v` and `-q`: how much an experiment says while it runs (run, resume).
struct ReportingOptions: ParsableArguments {
  @Flag(name: .shortAndLong, help: "Show Lua tracebacks with errors.")
  var verbose = false

  @Flag(name: .shortAndLong, help: "No progress output.")
  var quiet = false
}
