package import MPFCore
package import MPFSystem
package import MPFText

/// What a reader needs to know about a node a year later: kernel, CPU, frequency governor,
/// memory. Read by the worker from uname, /proc and /sys; what is not readable is left out.
package enum HostFacts {
  package static func current() -> LuaValue {
    let machine = ThisProcess.machine
    var facts: [String: LuaValue] = [
      "hostname": .string(machine.node),
      "kernel": .string(machine.system + " " + machine.release),
      "architecture": .string(machine.architecture),
      "cpus": .integer(Int64(ThisProcess.onlineCPUs)),
    ]
    if let cpuinfo = try? FileSystem.readString("/proc/cpuinfo"),
      let line = cpuinfo.lines().first(where: { $0.hasPrefix("model name") }), let colon = line.firstIndex(of: ":")
    {
      facts["cpu_model"] = .string(line[line.index(after: colon)...].trimmed())
    }
    if let governor = try? FileSystem.readString("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor") {
      facts["governor"] = .string(governor.trimmed())
    }
    if let meminfo = try? FileSystem.readString("/proc/meminfo"),
      let line = meminfo.lines().first(where: { $0.hasPrefix("MemTotal:") }),
      let kib = Int64(line.split(separator: " ").dropFirst().first ?? "")
    {
      facts["memory_bytes"] = .integer(kib * 1024)
    }
    // The address the controller reached this node at (sshd's SSH_CONNECTION: client address,
    // client port, server address, server port): a role given no interface gets it.
    if let connection = ThisProcess.environment("SSH_CONNECTION") {
      let fields = connection.split(separator: " ")
      if fields.count == 4 { facts["address"] = .string(String(fields[2])) }
    }
    return .record(facts)
  }
}
