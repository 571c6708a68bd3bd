import ArgumentParser
import MPFScript

/// `mpf types`: the Lua language server's definitions of mpf's API.
struct TypesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "types",
    abstract: "Print mpf's API for the Lua language server.",
    discussion: """
      Editors using the Lua language server (LuaLS) then complete and check scripts:
        mpf types > mpf-types.lua    beside your scripts, where the server reads it
      """
  )

  func run() throws { print(LuaTypes.definitions, terminator: "") }
}
