#if canImport(Glibc)
  internal import Glibc
#endif
internal import MPFCore
package import CSystem

/// The processes below a process, read from /proc.
///
/// Uses `/proc/PID/task/TID/children` (cheap: only the tree itself is read) and falls back to
/// scanning every `/proc/PID/stat` when the kernel lacks it.
package enum ProcessTree {
  /// Every live descendant of `root` (not `root` itself), parents before children.
  package static func descendants(of root: pid_t) -> [pid_t] {
    if let viaChildren = descendantsViaChildrenFiles(of: root) { return viaChildren }
    return descendantsViaStat(of: root)
  }

  /// Whether `pid` is gone or a zombie (ended, not yet reaped).
  package static func hasEnded(_ pid: pid_t) -> Bool {
    guard let stat = try? FileSystem.readString("/proc/\(pid)/stat"),
      let close = stat.lastIndex(of: ")")
    else { return true }
    let state = stat[stat.index(close, offsetBy: 2)...].first
    return state == "Z" || state == "X"
  }

  private static func descendantsViaChildrenFiles(of root: pid_t) -> [pid_t]? {
    guard FileSystem.exists("/proc/\(root)/task/\(root)/children") else { return nil }
    var result: [pid_t] = []
    var queue = [root]
    var seen: Set<pid_t> = [root]
    while !queue.isEmpty {
      let pid = queue.removeFirst()
      for task in tasks(of: pid) {
        guard let text = try? FileSystem.readString("/proc/\(pid)/task/\(task)/children") else { continue }
        for child in text.split(separator: " ").compactMap({ pid_t($0.trimmed()) })
        where seen.insert(child).inserted {
          result.append(child)
          queue.append(child)
        }
      }
    }
    return result
  }

  private static func tasks(of pid: pid_t) -> [pid_t] {
    let entries = FileSystem.directoryEntries("/proc/\(pid)/task").compactMap { pid_t($0) }
    return entries.isEmpty ? [pid] : entries
  }

  private static func descendantsViaStat(of root: pid_t) -> [pid_t] {
    var children: [pid_t: [pid_t]] = [:]
    for name in FileSystem.directoryEntries("/proc") {
      guard let pid = pid_t(name), let stat = try? FileSystem.readString("/proc/\(pid)/stat"),
        let close = stat.lastIndex(of: ")")
      else { continue }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 1, let parent = pid_t(fields[1]) { children[parent, default: []].append(pid) }
    }
    var result: [pid_t] = []
    var queue = [root]
    while !queue.isEmpty {
      let pid = queue.removeFirst()
      for child in children[pid] ?? [] {
        result.append(child)
        queue.append(child)
      }
    }
    return result
  }
}

