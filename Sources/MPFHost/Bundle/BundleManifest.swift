package import MPFCore
internal import MPFYAML
import MPFText

/// The `manifest` at the top of a bundle (`mpf export`): what it holds and where it came from.
/// Paths are relative to the bundle's top folder. docs/versions.md describes the format.
package struct BundleManifest: Sendable, Equatable {
  package static let format = "mpf-bundle/1"

  package struct File: Sendable, Equatable {
    package var path: String
    package var size: Int
    package var sha256: String
  }

  /// A role of the original cluster: its name and how many machines (and spares) it had.
  package struct Role: Sendable, Equatable {
    package var name: String
    package var machines: Int
    package var spares: Int
  }

  /// One `mpf.software`: the folder of each build in the bundle (a `dir` source: one folder
  /// for all), and the commit each was exported from (git).
  package struct SoftwareEntry: Sendable, Equatable {
    package var name: String
    package var kind: String
    /// A `dir` source's one folder.
    package var folder: String?
    /// A git source's builds: key → (folder, commit).
    package var builds: [(key: String, folder: String, commit: String)]

    package static func == (a: SoftwareEntry, b: SoftwareEntry) -> Bool {
      a.name == b.name && a.kind == b.kind && a.folder == b.folder
        && a.builds.map { [$0.key, $0.folder, $0.commit] } == b.builds.map { [$0.key, $0.folder, $0.commit] }
    }
  }

  package var mpfVersion = MPFVersion.current
  package var id: String
  package var label: String?
  package var roles: [Role] = []
  package var software: [SoftwareEntry] = []
  package var files: [File] = []

  package init(id: String, label: String?) {
    self.id = id
    self.label = label
  }

  /// The roles of experiment.yaml's `roles:`: names and counts, nothing of their machines (what
  /// export writes in `roles:`, and what a replay finds there again).
  static func roles(recordedIn record: YAMLNode) -> [Role] {
    var roles: [BundleManifest.Role] = []
    for item in record["roles"]?.items ?? [] {
      guard let name = item["name"]?.string else { continue }
      let spare = item["spare"]?.string == "true"
      if let index = roles.firstIndex(where: { $0.name == name }) {
        if spare { roles[index].spares += 1 } else { roles[index].machines += 1 }
      } else {
        roles.append(Role(name: name, machines: spare ? 0 : 1, spares: spare ? 1 : 0))
      }
    }
    return roles
  }

  /// The folder below the top one that holds the experiment's files.
  package static let experimentFolder = "experiment"

  package var text: String {
    get throws {
      let software = software.map { entry -> YAMLNode in
        var pairs: [(key: String, value: YAMLNode)] = [("name", .string(entry.name)), ("kind", .string(entry.kind))]
        if let folder = entry.folder { pairs.append(("folder", .string(folder))) }
        if !entry.builds.isEmpty {
          pairs.append(("builds", .sequence(entry.builds.map { build in
            .mapping([("key", .string(build.key)), ("folder", .string(build.folder)), ("commit", .string(build.commit))], flow: true)
          })))
        }
        return .mapping(pairs)
      }
      let node = YAMLNode.mapping([
        ("format", .string(Self.format)),
        ("mpf_version", .string(mpfVersion)),
        ("experiment", .mapping([("id", .string(id)), ("label", label.map(YAMLNode.string) ?? .null)], flow: true)),
        ("roles", .sequence(roles.map { .mapping([("name", .string($0.name)), ("machines", .int($0.machines)), ("spares", .int($0.spares))], flow: true) })),
        ("software", .sequence(software)),
        ("files", .sequence(files.map { .mapping([("path", .string($0.path)), ("size", .int($0.size)), ("sha256", .string($0.sha256))], flow: true) })),
      ])
      return try YAMLEmitter.emit(node)
    }
  }

  /// Reads a manifest: hostile input, every path checked as the tar's entries are.
  ///
  /// - Throws: `TarProblem` naming the manifest and what is wrong.
  package static func parse(_ text: String) throws -> BundleManifest {
    var reader = ManifestReader()
    let document = try reader.document(text)
    var manifest = BundleManifest(id: try reader.id(document), label: document["experiment"]?["label"]?.string)
    manifest.mpfVersion = document["mpf_version"]?.string ?? "?"
    manifest.files = try (document["files"]?.items ?? []).map { try reader.file($0) }
    manifest.roles = try (document["roles"]?.items ?? []).map { try reader.role($0) }
    manifest.software = try (document["software"]?.items ?? []).map { try reader.software($0) }
    return manifest
  }
}

/// Reads a manifest's parts, each refused naming its line (`manifest:LINE`), and what is listed
/// twice.
private struct ManifestReader {
  private var seen: Set<String> = []

  func bad(_ reason: String, _ node: YAMLNode? = nil) -> TarProblem {
    TarProblem("manifest" + (node.map { $0.line > 0 ? ":\($0.line)" : "" } ?? ""), reason)
  }

  func document(_ text: String) throws -> YAMLNode {
    let document: YAMLNode
    do {
      guard let parsed = try YAMLParser.parse(text, file: "manifest") else { throw bad("it is empty") }
      document = parsed
    } catch let problem as TarProblem {
      throw problem
    } catch {
      throw bad("not valid YAML: \(error)")
    }
    guard document["format"]?.string == BundleManifest.format else {
      throw bad("format \(document["format"]?.string ?? "(none)") is not \(BundleManifest.format)", document["format"])
    }
    return document
  }

  func id(_ document: YAMLNode) throws -> String {
    guard let id = document["experiment"]?["id"]?.string, id.utf8.count == 8,
      id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    else {
      throw bad("experiment.id must be an experiment's id as mpf writes it (8 hex digits)", document["experiment"])
    }
    return id
  }

  /// A path inside the bundle, held to TarCheck's one rule.
  func path(_ node: YAMLNode?) throws -> String {
    guard let text = node?.string else { throw bad("a path is missing", node) }
    do {
      return try TarCheck.name(Array(text.utf8))
    } catch let problem as TarProblem {
      throw bad("path \(problem.entry ?? ""): \(problem.reason)", node)
    }
  }

  /// Refuses what is listed twice (`what`: "file x", "role 'y'").
  mutating func once(_ what: String, _ node: YAMLNode) throws {
    guard seen.insert(what).inserted else { throw bad("\(what) is listed twice", node) }
  }

  mutating func file(_ item: YAMLNode) throws -> BundleManifest.File {
    guard let size = item["size"]?.intValue, size >= 0, let sha = item["sha256"]?.string, sha.count == 64 else {
      throw bad("a file needs a size and a sha256", item)
    }
    let file = BundleManifest.File(path: try path(item["path"]), size: size, sha256: sha)
    try once("file \(TerminalText.escaped(file.path))", item)
    return file
  }

  mutating func role(_ item: YAMLNode) throws -> BundleManifest.Role {
    guard let name = item["name"]?.string, let machines = item["machines"] else { throw bad("a role needs a name and machines", item) }
    let count = try self.count("machines", machines)
    let spares = try item["spares"].map { try self.count("spares", $0) } ?? 0
    try once("role '\(TerminalText.escaped(name))'", item)
    return BundleManifest.Role(name: name, machines: count, spares: spares)
  }

  /// A role's count of machines or spares: a whole number from 0 to 100 000.
  func count(_ field: String, _ node: YAMLNode) throws -> Int {
    guard let count = node.intValue, (0...100_000).contains(count) else {
      throw bad("\(field) must be a whole number from 0 to 100000, not \(TerminalText.escaped(node.string ?? "a list or a map"))", node)
    }
    return count
  }

  mutating func software(_ item: YAMLNode) throws -> BundleManifest.SoftwareEntry {
    guard let name = item["name"]?.string, let kind = item["kind"]?.string else { throw bad("a software needs a name and a kind", item) }
    guard ["git", "dir"].contains(kind) else { throw bad("software '\(TerminalText.escaped(name))': kind must be git or dir, not \(TerminalText.escaped(kind))", item["kind"]) }
    try once("software '\(TerminalText.escaped(name))'", item)
    var entry = BundleManifest.SoftwareEntry(name: name, kind: kind, folder: try item["folder"].map { try path($0) }, builds: [])
    for build in item["builds"]?.items ?? [] {
      guard let key = build["key"]?.string, let commit = build["commit"]?.string else { throw bad("a build needs a key and a commit", build) }
      // A commit is what git names it by: 40 (SHA-1) or 64 (SHA-256) hex digits, nothing else.
      guard [40, 64].contains(commit.utf8.count), commit.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
        throw bad("software '\(TerminalText.escaped(name))' build \(TerminalText.escaped(key)): commit must be 40 or 64 hex digits, not \(TerminalText.escaped(commit))", build["commit"])
      }
      try once("software '\(TerminalText.escaped(name))' build \(TerminalText.escaped(key))", build)
      entry.builds.append((key, try path(build["folder"]), commit))
    }
    return entry
  }

}

extension BundleManifest {
  /// Each software's source in `root` (the unpacked top folder), for `RunOptions.bundledSoftware`.
  package func bundledSoftware(in root: String) -> [String: BundledSource] {
    var out: [String: BundledSource] = [:]
    for entry in software {
      var source = BundledSource(folders: [:])
      source.folder = entry.folder.map { root + "/" + $0 }
      for build in entry.builds {
        source.folders[build.key] = root + "/" + build.folder
        source.commits[build.key] = build.commit
      }
      out[entry.name] = source
    }
    return out
  }
}
