import ArgumentParser
import MPFHost
import MPFSystem

/// `mpf export DIR -o FILE`: the experiment as a bundle another machine can replay.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write an experiment as a bundle that mpf replay runs again elsewhere.",
    discussion: """
      The bundle (a .tar.gz) holds the experiment's experiment.yaml, its script and modules, \
      the roles of its cluster (no hosts, no ssh settings) and each mpf.software's source as it \
      ran: a git source's commits, a folder's files (refused when the folder has changed since, \
      unless --force).
        mpf export mpf_experiments/3f9a2c1e -o study.tar.gz
      """
  )

  @OptionGroup var experiment: ExperimentArgument

  @OptionGroup var experiments: ExperimentsFolderOption

  @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The bundle to write.", valueName: "file"))
  var output: String

  @Flag(help: "Export a software folder that has changed since the experiment ran, as it is now.")
  var force = false

  func run() throws {
    do {
      let manifest = try BundleWriter.export(
        experiment.directory(under: experiments), to: output, force: force, warn: { printError($0) })
      let bytes = manifest.files.reduce(0) { $0 + $1.size }
      printText("mpf: exported \(manifest.id) to \(output): \(manifest.files.count) files, \(bytes) bytes")
    } catch {
      throw fail(error)
    }
  }
}
