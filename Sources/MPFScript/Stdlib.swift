/// mpf's Lua library: the files of lua/stdlib, embedded in the binary at build time
/// (SwiftPM's `embedInCode` through the link Sources/MPFScript/stdlib → lua/stdlib), so a
/// copy shipped to a node needs no resource folder.
package enum Stdlib {
  /// (module name, source) in load order: each chunk is loaded through `package.preload`,
  /// so `require 'mpf.NAME'` finds it, and the last one assembles the `mpf` module.
  package static let chunks: [(name: String, source: String)] = [
    ("mpf", PackageResources.mpf_lua)
  ].map { ($0.0, String(decoding: $0.1, as: UTF8.self)) }
}
