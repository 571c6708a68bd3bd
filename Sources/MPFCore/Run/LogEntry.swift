/// One line of a function's log: a command it ran, or something it printed.
package enum LogEntry: Sendable, Equatable {
  case command(CommandRecord)
  case print(String)
  case warning(String)
}
