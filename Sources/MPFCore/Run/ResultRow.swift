/// One value a function returned: as returned, and as a number in base units when it is one.
package struct ResultValue: Sendable, Hashable {
  package var raw: LuaValue

  package init(raw: LuaValue) { self.raw = raw }

  /// The number in base units, when it is one (worked out when asked: reading 100 000 runs back
  /// parses no unit it does not need).
  package var quantity: Quantity? {
    switch raw {
    case .integer(let i): Quantity(value: Double(i), unit: "")
    case .number(let d): Quantity(value: d, unit: "")
    case .string(let s): Quantity(parsing: s)
    default: nil
    }
  }

  /// What Lua scripts see in the dataframe: the number in base units, else the raw value.
  package var luaValue: LuaValue { number ?? raw }

  /// The number in base units as Lua holds it: an integer when whole, exactly so for a
  /// whole-number text that fits in Int64 (`Quantity.wholeNumber`); nil when not a number.
  package var number: LuaValue? {
    guard let quantity else { return nil }
    if case .integer = raw { return raw }
    // Past 2^53 a Double loses digits: such a whole-number text is read again, exactly (the
    // second reading only there, not for every result).
    if case .string(let text) = raw, abs(quantity.value) >= 9_007_199_254_740_992, let whole = Quantity.wholeNumber(parsing: text) {
      return .integer(whole)
    }
    if quantity.value.rounded() == quantity.value, abs(quantity.value) < 9e15 { return .integer(Int64(quantity.value)) }
    return .number(quantity.value)
  }
}

/// How a run ended.
package enum RunStatus: String, Sendable, Hashable {
  case ok, failed, timeout
  /// A node's connection was lost during the run.
  case nodeLost = "node-lost"
}

/// A finished run: its place in the plan, its variable values, what came back, and how it went.
package struct ResultRow: Sendable, Hashable {
  package var index: Int
  package var repetition: Int
  package var values: [LuaValue]
  package var results: [String: ResultValue] = [:]
  /// Result names in the order they first came back (functions in order, names sorted).
  package var resultOrder: [String] = []
  package var status: RunStatus = .ok
  package var error: String?
  package var start: Double = 0
  package var duration: Double = 0
  package var log: String?
  /// Files brought back from `mpf.md` directories, relative to the experiment directory.
  package var files: [String] = []
  /// A mistake of the script that made the run fail and would fail every run the same way
  /// (a result named like a variable): the experiment stops on it. Not stored.
  package var mistake: Diagnostic?
  /// The Lua traceback of the error that failed the run, for `-v` (it is in the run's log).
  package var traceback: String?
  /// Workers whose machine is not the one the experiment started with (a spare took its
  /// place): worker name → machine.
  package var machines: [String: String] = [:]

  package init(index: Int, repetition: Int, values: [LuaValue]) {
    self.index = index
    self.repetition = repetition
    self.values = values
  }

  /// Adds one function's returned table.
  ///
  /// - Throws: `Diagnostic` when two functions of the run return the same name.
  package mutating func merge(_ table: LuaTable, from function: RoleFunction) throws {
    for (name, value) in table.namedFields {
      if results[name] != nil {
        throw Diagnostic(
          .usage, "result '\(name)' is returned by two functions of the same run; rename one", at: function.location)
      }
      results[name] = ResultValue(raw: value)
      resultOrder.append(name)
    }
  }

  /// Adds results already made (a role's machines' values and their aggregates).
  ///
  /// - Throws: `Diagnostic` when another function of the run returned the same name.
  package mutating func merge(_ named: [(String, ResultValue)], from function: RoleFunction) throws {
    for (name, value) in named {
      if results[name] != nil {
        throw Diagnostic(
          .usage, "result '\(name)' is returned by two functions of the same run; rename one", at: function.location)
      }
      results[name] = value
      resultOrder.append(name)
    }
  }

  package mutating func fail(_ message: String, status: RunStatus = .failed) {
    if self.status == .ok {
      self.status = status
      error = message
    }
  }
}
