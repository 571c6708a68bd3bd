/// A Lua module the experiment script requires (`require 'helpers'`): it travels with the script
/// to every worker, is copied into the results directory and counts in the script's hash.
package struct ScriptModule: Sendable, Hashable {
  /// The name given to `require` (`helpers`, `lib.net`).
  package var name: String
  /// Where the controller found it (a path along `package.path`, from the script's folder first).
  package var path: String
  package var source: String

  package init(name: String, path: String, source: String) {
    self.name = name
    self.path = path
    self.source = source
  }
}
