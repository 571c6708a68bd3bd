internal import CSystem

/// The exit code of a `waitpid` status: the process's code, or 128+signal when killed (as sh).
package func exitCode(_ status: Int32) -> Int32 { csystem_exit_code(status) }
