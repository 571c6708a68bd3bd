package import MPFCore

/// The `ssh` command lines mpf runs: the system OpenSSH client with the user's configuration,
/// plus only connection multiplexing (a ControlPath in mpf's own folder), BatchMode (never a
/// prompt), a connect timeout and keep-alives. Host key checking is left as the user set it.
package struct SSHCommand: Sendable {
  /// `ssh_config:` of the cluster file (`-F`); nil: the user's own.
  package var configFile: String?
  package var connectTimeout: Int
  /// Where the master connections' sockets live.
  package var controlDirectory: String

  package init(configFile: String?, connectTimeout: Int, controlDirectory: String) {
    self.configFile = configFile
    self.connectTimeout = connectTimeout
    self.controlDirectory = controlDirectory
  }

  /// `ssh [-F config] -o BatchMode=yes ... [-l user] [-p port] OPTIONS -- host [command]`.
  package func arguments(_ machine: Machine, _ options: [String], command: String?) -> [String] {
    var arguments = ["ssh"]
    if let configFile { arguments += ["-F", configFile] }
    arguments += [
      "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(connectTimeout)",
      "-o", "ControlPath=\(controlDirectory)/%C", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3",
    ]
    if let user = machine.user { arguments += ["-l", user] }
    if let port = machine.port { arguments += ["-p", String(port)] }
    // `--`: a host name can never be read as an option, whatever the cluster file says.
    arguments += options + ["--", machine.hostname]
    if let command { arguments.append(command) }
    return arguments
  }
}
