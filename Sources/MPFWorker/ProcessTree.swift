internal import MPFCore
import MPFSystem
import MPFText

/// The processes below a process, read from /proc.
///
/// Uses `/proc/PID/task/TID/children` (cheap: only the tree itself is read) and falls back to
/// scanning every `/proc/PID/stat` when the kernel lacks it.
package enum ProcessTree {
  /// Every live descendant of `root` (not `root` itself), parents before children.
  package static func descendants(of root: Int32) -> [Int32] {
    if let viaChildren = descendantsViaChildrenFiles(of: root) { return viaChildren }
    return descendantsViaStat(of: root)
  }

  /// Whether `pid` is gone or a zombie (ended, not yet reaped).
  package static func hasEnded(_ pid: Int32) -> Bool {
    guard let state = state(of: pid) else { return true }
    return state == "Z" || state == "X"
  }

  /// The direct children of `root` that have ended and wait to be reaped.
  package static func zombieChildren(of root: Int32) -> [Int32] {
    let children: [Int32]
    if FileSystem.exists("/proc/\(root)/task/\(root)/children") {
      children = tasks(of: root).flatMap { task in
        ((try? FileSystem.readString("/proc/\(root)/task/\(task)/children")) ?? "")
          .split(separator: " ").compactMap { Int32($0.trimmed()) }
      }
    } else {
      children = parentMap()[root] ?? []
    }
    return children.filter { state(of: $0) == "Z" }
  }

  /// The state letter of `/proc/PID/stat` (R, S, Z, ...); nil when the process is gone.
  private static func state(of pid: Int32) -> Character? {
    guard let stat = try? FileSystem.readString("/proc/\(pid)/stat"),
      let close = stat.lastIndex(of: ")"), stat.distance(from: close, to: stat.endIndex) > 2
    else { return nil }
    return stat[stat.index(close, offsetBy: 2)...].first
  }

  private static func descendantsViaChildrenFiles(of root: Int32) -> [Int32]? {
    guard FileSystem.exists("/proc/\(root)/task/\(root)/children") else { return nil }
    var result: [Int32] = []
    var queue = [root]
    var seen: Set<Int32> = [root]
    while !queue.isEmpty {
      let pid = queue.removeFirst()
      for task in tasks(of: pid) {
        guard let text = try? FileSystem.readString("/proc/\(pid)/task/\(task)/children") else { continue }
        for child in text.split(separator: " ").compactMap({ Int32($0.trimmed()) })
        where seen.insert(child).inserted {
          result.append(child)
          queue.append(child)
        }
      }
    }
    return result
  }

  private static func tasks(of pid: Int32) -> [Int32] {
    let entries = FileSystem.directoryEntries("/proc/\(pid)/task").compactMap { Int32($0) }
    return entries.isEmpty ? [pid] : entries
  }

  /// Every process's children, from each `/proc/PID/stat`.
  private static func parentMap() -> [Int32: [Int32]] {
    var children: [Int32: [Int32]] = [:]
    for name in FileSystem.directoryEntries("/proc") {
      guard let pid = Int32(name), let stat = try? FileSystem.readString("/proc/\(pid)/stat"),
        let close = stat.lastIndex(of: ")")
      else { continue }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 1, let parent = Int32(fields[1]) { children[parent, default: []].append(pid) }
    }
    return children
  }

  private static func descendantsViaStat(of root: Int32) -> [Int32] {
    let children = parentMap()
    var result: [Int32] = []
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

