import Testing
import MPFCore
import MPFCluster

@Suite struct SSHCommandTests {
  @Test func sshGetsOnlyMultiplexingBatchModeAndTimeouts() {
    let ssh = SSHCommand(configFile: nil, connectTimeout: 7, controlDirectory: "/tmp/mpf-ssh-x")
    #expect(ssh.arguments(Machine(hostname: "node1"), ["-T"], command: "mpf worker") == [
      "ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=7", "-o", "ControlPath=/tmp/mpf-ssh-x/%C",
      "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3", "-T", "--", "node1", "mpf worker",
    ])
  }

  @Test func userPortAndConfigFileAreArgumentsOfTheirOwn() {
    let ssh = SSHCommand(configFile: "/etc/mpf/ssh_config", connectTimeout: 10, controlDirectory: "/c")
    let arguments = ssh.arguments(Machine(hostname: "h", user: "me", port: 2222), ["-O", "exit"], command: nil)
    #expect(Array(arguments.prefix(3)) == ["ssh", "-F", "/etc/mpf/ssh_config"])
    #expect(Array(arguments.suffix(8)) == ["-l", "me", "-p", "2222", "-O", "exit", "--", "h"])
    #expect(!arguments.contains { $0.contains("StrictHostKeyChecking") })
  }
}
