/// mpf's version, recorded in every results file and checked between controller and worker.
public enum MPFVersion {
  public static let current = "0.1.0"
}
