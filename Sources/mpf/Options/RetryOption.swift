import ArgumentParser

/// `--retry-failed`: a resumed experiment also redoes the runs that failed (resume, run --resume).
struct RetryOption: ParsableArguments {
  @Flag(help: "When resuming, also redo the runs that failed.")
  var retryFailed = false
}
