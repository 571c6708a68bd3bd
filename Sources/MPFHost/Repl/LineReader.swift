internal import CEdit
internal import MPFCore
import Synchronization
import MPFSystem
import MPFText

/// Where `mpf repl` reads its lines: a terminal, with libedit's line editing, history and
/// completion; or anything else (a pipe, a file), plainly, without prompts.
final class LineReader {
  /// Whether standard input is a terminal: prompts, banner, history, completion.
  let interactive: Bool
  private let historyPath: String?
  private var pending: [UInt8] = []
  private var atEnd = false

  /// The function completions come from (the REPL's Lua state): a C callback cannot capture.
  nonisolated(unsafe) static var completer: ((String) -> [String])?

  init(historyPath: String?) {
    interactive = Descriptor.standardInput.isTerminal
    self.historyPath = historyPath
    guard interactive else { return }
    cedit_set_completer { word in
      let completions = word.map { LineReader.completer?(String(cString: $0)) ?? [] } ?? []
      let list = cedit_new_list(Int32(completions.count))
      for (index, completion) in completions.enumerated() { list?[index] = cedit_copy(completion) }
      return list
    }
    if let historyPath { _ = cedit_read_history(historyPath, Int32(Self.historyEntries)) }
  }

  /// What the user gave at a prompt.
  enum Input: Equatable {
    case line(String)
    /// Ctrl-C: the line typed so far is dropped.
    case interrupted
    /// Ctrl-D, or the end of piped input.
    case end
  }

  /// The next line without its newline.
  func read(prompt: String) -> Input {
    if interactive {
      var interrupted: Int32 = 0
      guard let line = cedit_readline(prompt, &interrupted) else { return interrupted != 0 ? .interrupted : .end }
      defer { cedit_free(line) }
      return .line(String(cString: line))
    }
    return readPlain().map(Input.line) ?? .end
  }

  private func readPlain() -> String? {
    while true {
      if let newline = pending.firstIndex(of: 10) {
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeSubrange(...newline)
        return line
      }
      if atEnd {
        guard !pending.isEmpty else { return nil }
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
      }
      var buffer = [UInt8](repeating: 0, count: 4096)
      let n = (try? Descriptor.standardInput.read(into: &buffer)) ?? 0
      if n > 0 { pending += buffer[0..<n] } else { atEnd = true }
    }
  }

  /// The most entries the history keeps, and the longest chunk it keeps (a chunk pasted whole,
  /// a generated table): libedit handles every entry at every line, so a 200 KB one cost every
  /// later line about 10 ms.
  static let historyEntries = 1000
  static let longestRemembered = 4096

  /// Keeps a chunk in the history (and the history file, at once: a session can be killed);
  /// not a chunk longer than `longestRemembered` bytes.
  func remember(_ chunk: String) {
    guard interactive, !chunk.trimmed().isEmpty, chunk.utf8.count <= Self.longestRemembered else { return }
    cedit_add_history(chunk)
    if let historyPath {
      try? FileSystem.createDirectory(FileSystem.dirname(historyPath))
      _ = cedit_write_history(historyPath)
    }
  }

  /// `$XDG_STATE_HOME/mpf/history`, else `~/.local/state/mpf/history`.
  static var defaultHistoryPath: String? {
    if let state = ThisProcess.environment("XDG_STATE_HOME"), !state.isEmpty {
      return FileSystem.join(FileSystem.join(state, "mpf"), "history")
    }
    guard let home = ThisProcess.environment("HOME"), !home.isEmpty else { return nil }
    return FileSystem.join(home, ".local/state/mpf/history")
  }
}
