/// mpf's version, recorded in every results file and checked between controller and worker.
package enum MPFVersion {
  package static let current = "0.1.0"
}
