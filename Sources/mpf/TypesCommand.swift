import ArgumentParser
import MPFScript

/// `mpf types`: the Lua language server's definitions of mpf's API.
struct TypesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "types",
    abstract: "Print the Lua language server's definitions of mpf's API.",
    discussion: """
      Editors that use the Lua language server (LuaLS) then complete and check scripts:
        mpf types > mpf-types.lua     in the folder of your scripts (the server reads it)
      """
  )

  func run() throws { print(LuaTypes.definitions, terminator: "") }
}
