/// The deployment was stopped (SIGTERM, Ctrl-C twice) while a step ran on a machine: the step
/// was ended there, with the processes it started.
package struct DeployStopped: Error, CustomStringConvertible {
  package var machine: String
  /// The step, as the deployment log names it (`[hello] make`, `probe`).
  package var step: String

  package init(machine: String, step: String) {
    self.machine = machine
    self.step = step
  }

  package var description: String {
    "the deployment was stopped during \(step) on \(machine), which was ended there with its processes"
  }
}
