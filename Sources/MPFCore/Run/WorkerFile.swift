/// A file from an `mpf.md` directory, brought back to the controller.
package struct WorkerFile: Sendable, Equatable {
  /// Relative to the scope's directory (`out.txt`, `fn-2/trace.pcap`).
  package var path: String
  package var contents: [UInt8]

  /// A value with each property given.
  package init(path: String, contents: [UInt8]) {
    self.path = path
    self.contents = contents
  }
}
