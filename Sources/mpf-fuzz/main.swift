internal import MPFCore
import MPFSystem
#if MPF_FUZZ
  internal import CFuzz
#endif

// mpf-fuzz TARGET [FILE|DIR ...]: runs each input (each file of each DIR) through TARGET once,
// as the tests do with the corpora under Fuzz/corpus/. Built by scripts/fuzz with
// -sanitize=fuzzer and MPF_FUZZ, the same command is libFuzzer's:
// mpf-fuzz TARGET [libFuzzer options] CORPUS_DIR...

// libFuzzer starts copies of this program for some modes (-merge, -jobs) with its own
// arguments: they find the target in MPF_FUZZ_TARGET, set below.
var arguments = CommandLine.arguments
if arguments.count < 2 || FuzzTarget(rawValue: arguments[1]) == nil, let inherited = ThisProcess.environment("MPF_FUZZ_TARGET") {
  arguments.insert(inherited, at: 1)
}
guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
  FileSystem.writeStderr("usage: mpf-fuzz TARGET [FILE|DIR ...]; TARGET is one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n")
  ThisProcess.exit(2)
}

if arguments.count == 4, arguments[2] == "--seeds" {
  for (index, seed) in target.seeds.enumerated() {
    try FileSystem.writeAtomically(FileSystem.join(arguments[3], "seed-\(index + 1)"), seed)
  }
  ThisProcess.exit(0)
}

/// The target libFuzzer calls (a C function pointer cannot capture it).
nonisolated(unsafe) var fuzzed = target

#if MPF_FUZZ
  try ThisProcess.setEnvironment("MPF_FUZZ_TARGET", target.rawValue)
  var driverArguments = [arguments[0]] + arguments.dropFirst(2)
  var argc = Int32(driverArguments.count)
  // C strings that live as long as the process (libFuzzer keeps argv).
  var argv: [UnsafeMutablePointer<CChar>?] = driverArguments.map { argument in
    let text = Array(argument.utf8CString)
    let copy = UnsafeMutablePointer<CChar>.allocate(capacity: text.count)
    copy.initialize(from: text, count: text.count)
    return copy
  } + [nil]
  let status = argv.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var base = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &base) { data, size in
      fuzzed.run(UnsafeBufferPointer(start: data, count: size))
      return 0
    }
  }
  ThisProcess.exit(status)
#else
  var count = 0
  for path in arguments.dropFirst(2) {
    let files = FileSystem.isDirectory(path) ? FileSystem.directoryEntries(path).sorted().map { FileSystem.join(path, $0) } : [path]
    for file in files {
      guard let bytes = try? FileSystem.read(file) else {
        FileSystem.writeStderr("mpf-fuzz: cannot read \(file)\n")
        ThisProcess.exit(1)
      }
      bytes.withUnsafeBufferPointer { target.run($0) }
      count += 1
    }
  }
  FileSystem.writeStdout("mpf-fuzz \(target.rawValue): \(count) inputs, no crash\n")
#endif
