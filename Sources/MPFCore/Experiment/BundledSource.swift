/// A software's source taken from an unpacked bundle (`mpf replay`): the controller folder of
/// each build, so that nothing is fetched or read from where the original came from.
package struct BundledSource: Sendable, Equatable {
  /// Build key (`default`, `version=v1`) → the folder holding that build's source.
  package var folders: [String: String]
  /// Build key → the git commit the folder was exported from (git sources).
  package var commits: [String: String]
  /// The one folder of every build (a `dir` source: each build copies the same files).
  package var folder: String?

  package init(folders: [String: String], commits: [String: String] = [:]) {
    self.folders = folders
    self.commits = commits
  }
}

/// Where a replayed experiment came from: the original's id and the bundle's SHA-256
/// (experiment.yaml's `replay_of`).
package struct ReplayOrigin: Sendable, Equatable {
  package var id: String
  package var bundleSHA256: String

  package init(id: String, bundleSHA256: String) {
    self.id = id
    self.bundleSHA256 = bundleSHA256
  }
}
