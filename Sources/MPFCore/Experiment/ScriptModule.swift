import MPFSystem

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

extension ScriptModule {
  /// The folder of the stored copies of modules from outside the script's folder.
  package static let outsideFolder = "mpf-modules"

  /// Where the module is kept beside the script's stored copy (in the results directory, and so
  /// in a bundle): its path below the script's folder (`helpers.lua`, `lib/net.lua`); a module
  /// from elsewhere along package.path (a shared library, `../common/net.lua`,
  /// `/usr/share/lua/5.4/x.lua`) as `mpf-modules/NAME.lua` by its require name. Nil for such a
  /// module whose name is not letters, digits, `_` and `-` between dots: it cannot be a file
  /// name, and is only named in experiment.yaml.
  package static func storedName(name: String, path: String, scriptPath: String) -> String? {
    let folder = FileSystem.dirname(scriptPath)
    let plain = { (text: String) in text.hasPrefix("./") ? String(text.dropFirst(2)) : text }
    let (relative, prefix) = (plain(path), folder == "." ? "" : plain(folder) + "/")
    if relative.hasPrefix(prefix) {
      let below = String(relative.dropFirst(prefix.count))
      let parts = below.split(separator: "/", omittingEmptySubsequences: false)
      if !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }), parts.first != Substring(outsideFolder) { return below }
    }
    let pieces = name.split(separator: ".", omittingEmptySubsequences: false)
    let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-") }
    guard !pieces.isEmpty, pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy(allowed) }), name.utf8.count <= 200 else { return nil }
    return "\(outsideFolder)/\(name).lua"
  }

  /// `storedName` of this module, for a script at `scriptPath`.
  package func storedName(scriptPath: String) -> String? {
    Self.storedName(name: name, path: path, scriptPath: scriptPath)
  }
}
