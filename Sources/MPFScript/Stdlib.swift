/// mpf's Lua library: the files of lua/stdlib, embedded in the binary at build time
/// (SwiftPM's `embedInCode` through the link Sources/MPFScript/stdlib → lua/stdlib), so a
/// copy shipped to a node needs no resource folder.
package enum Stdlib {
  /// The chunk that assembles the others into the global `mpf` and returns the host's entry points.
  package static let main = "mpf"

  /// (module name, source): `mpf.NAME.lua` is the module `mpf.NAME`, loadable by `require`.
  package static let chunks: [(name: String, source: String)] = [
    ("mpf", PackageResources.mpf_lua),
    ("mpf.util", PackageResources.mpf_util_lua),
    ("mpf.registry", PackageResources.mpf_registry_lua),
    ("mpf.declare", PackageResources.mpf_declare_lua),
    ("mpf.shell", PackageResources.mpf_shell_lua),
    ("mpf.call", PackageResources.mpf_call_lua),
    ("mpf.dataframe", PackageResources.mpf_dataframe_lua),
    ("mpf.experiment", PackageResources.mpf_experiment_lua),
    ("mpf.helpers", PackageResources.mpf_helpers_lua),
    ("mpf.modules", PackageResources.mpf_modules_lua),
    ("mpf.options", PackageResources.mpf_options_lua),
    ("mpf.repl", PackageResources.mpf_repl_lua),
    ("mpf.software", PackageResources.mpf_software_lua),
    ("mpf.space", PackageResources.mpf_space_lua),
  ].map { ($0.0, String(decoding: $0.1, as: UTF8.self)) }
}

/// The definitions of mpf's Lua API for the Lua language server (lua/types/mpf-types.lua), which
/// `mpf types` prints.
package enum LuaTypes {
  package static let definitions = String(decoding: PackageResources.mpf_types_lua, as: UTF8.self)
}
