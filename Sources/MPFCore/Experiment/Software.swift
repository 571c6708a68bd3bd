package import MPFText
/// Software under test that mpf deploys and builds on the nodes of some roles before the
/// experiment's `init` functions (`mpf.software{...}`).
package struct Software: Sendable, Equatable {
  package enum Source: Sendable, Equatable {
    /// A folder of the controller (an absolute path).
    case folder(String)
    /// A git repository the controller can fetch, and a ref (which may name variables).
    case git(url: String, ref: String)
  }

  package var name: String
  package var roles: [String]
  package var source: Source
  /// Debian/Ubuntu and Fedora/RHEL packages, installed where missing.
  package var apt: [String] = []
  package var dnf: [String] = []
  /// Shell commands run in the source folder, in order; `$name` names a variable.
  package var build: [String] = []
  /// Seconds each build step may run (`build_timeout`); past it, the step is ended with its
  /// processes on the node, and the deployment fails.
  package var buildTimeout: Double = Software.defaultBuildTimeout
  package static let defaultBuildTimeout: Double = 3600
  package var location: SourceLocation?
  /// `mpf replay`: the source of each build, from the bundle (over `source`, which still
  /// decides the build variables).
  package var bundled: BundledSource?

  package init(name: String, roles: [String], source: Source, location: SourceLocation? = nil) {
    self.name = name
    self.roles = roles
    self.source = source
    self.location = location
  }

  /// The variables the build depends on: those named (`$name`, `${name}`) in a build step or
  /// in the git ref, in the experiment's variable order. Each of their combinations is built
  /// once per node, in a folder of its own.
  package func buildVariables(among variables: [Variable]) -> [String] {
    var texts = build
    if case .git(_, let ref) = source { texts.append(ref) }
    let named = Set(texts.flatMap(Software.namesReferenced))
    return variables.map(\.name).filter(named.contains)
  }

  /// `$name` and `${name}` in `text`, replaced by `values[name]` where it has one.
  package static func expand(_ text: String, with values: [String: String]) -> String {
    var out = ""
    var rest = Substring(text)
    while let dollar = rest.firstIndex(of: "$") {
      out += rest[..<dollar]
      let after = rest[rest.index(after: dollar)...]
      if after.first == "{", let close = after.firstIndex(of: "}") {
        let name = String(after[after.index(after: after.startIndex)..<close])
        if let value = values[name] {
          out += value
          rest = after[after.index(after: close)...]
          continue
        }
      } else {
        let name = String(after.prefix { $0 == "_" || $0.isLetter || $0.isNumber })
        if !name.isEmpty, !(name.first?.isNumber ?? true), let value = values[name] {
          out += value
          rest = after.dropFirst(name.count)
          continue
        }
      }
      out.append("$")
      rest = after
    }
    return out + rest
  }

  /// The names `$name` and `${name}` reference in `text`.
  package static func namesReferenced(_ text: String) -> [String] {
    var names: [String] = []
    var rest = Substring(text)
    while let dollar = rest.firstIndex(of: "$") {
      let after = rest[rest.index(after: dollar)...]
      if after.first == "{", let close = after.firstIndex(of: "}") {
        names.append(String(after[after.index(after: after.startIndex)..<close]))
        rest = after[after.index(after: close)...]
      } else {
        let name = after.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
        if let first = name.first, !first.isNumber { names.append(String(name)) }
        rest = after.dropFirst(name.count)
      }
    }
    return names
  }

  /// The folder name of one build: `default` without build variables, else the values
  /// (`opt=-O2,ref=v1.2`) when they are safe as one path component as they are; else made
  /// safe and ended in a hash of the text, so that two values never share a folder
  /// (`version=feat/x` and `version=feat_x` were both `version=feat_x`: one build for both).
  package static func buildKey(_ values: [(name: String, label: String)]) -> String {
    guard !values.isEmpty else { return "default" }
    // `opt=-O2,version=v1.2`: each variable and its label, as people write them.
    let text = values.map { "\($0.name)=\($0.label)" }.joined(separator: ",")
    let safe = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.+=,".contains($0)) ? $0 : "_" })
    guard safe != text || safe.utf8.count > 80 || safe.hasPrefix(".") else { return safe }
    return String(safe.prefix(60)) + "-" + String(SHA256.hex(Array(text.utf8)).prefix(12))
  }
}
