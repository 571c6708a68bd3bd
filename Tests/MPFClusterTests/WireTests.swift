import Testing
import MPFCore
import MPFYAML
import MPFCluster
import MPFSystem


@Suite struct WireTests {
  func payload(_ frame: [UInt8]) -> [UInt8] { Array(frame.dropFirst(4)) }

  @Test func requestsRoundTrip() throws {
    var requests: [WorkerRequest] = [
      .load(LoadRequest(scriptName: "a.lua", scriptSource: "x = 1\0y", arguments: ["-v", "é"], role: "server")),
      .call(CallRequest(function: 3, run: 17, context: .record(["role": "client", "n": -5]), values: .record(["p": 2.5, "z": ""]))),
      .endRun(run: 9), .shutdown,
    ]
    var ending = CallRequest(function: 1, run: 2, context: .record([:]), values: .record([:]))
    ending.endsRun = true
    requests.append(.call(ending))
    for request in requests {
      let frame = Envelope(id: 4_000_000_000, body: request).encoded()
      #expect(Int(frame[0]) | Int(frame[1]) << 8 | Int(frame[2]) << 16 | Int(frame[3]) << 24 == frame.count - 4)
      let back = try Envelope<WorkerRequest>.decode(payload(frame))
      #expect(back.id == 4_000_000_000)
      #expect(back.body == request)
    }
  }

  @Test func responsesRoundTrip() throws {
    let record = CommandRecord(command: "ls", location: "a.lua:3", background: true, exitCode: nil, stdout: "x\n", stderr: "", duration: 0.5)
    var responses: [WorkerResponse] = [
      .loaded(functionCount: 2, version: "1.0", facts: .record(["kernel": "Linux 6.1", "cpus": 8])),
      .called(CallResult(results: .record(["g": "940 Kbits", "big": .integer(Int64.min)]), error: nil, log: [.command(record), .print("hi"), .warning("w")], duration: 1.25)),
      .called(CallResult(results: .nil, error: WireDiagnostic(Diagnostic(.runtime, "boom", at: SourceLocation(file: "a.lua", line: 4), traceback: "tb")), log: [], duration: 0)),
      .ended(log: [.command(record)], files: [WorkerFile(path: "a/b.txt", contents: [0, 1, 255])]), .goodbye(files: []),
      .failed(WireDiagnostic(Diagnostic(.syntax, "bad", at: nil))),
      .output(line: "[x] é\u{1B}[2J", isError: false), .output(line: "", isError: true),
    ]
    var ended = CallResult(results: .record(["x": 1]), log: [.print("p")], duration: 0.5)
    ended.runEnd = RunEnd(log: [.command(record)], files: [WorkerFile(path: "f", contents: [7])])
    responses.append(.called(ended))
    for response in responses {
      let back = try Envelope<WorkerResponse>.decode(payload(Envelope(id: 1, body: response).encoded()))
      #expect(back.body == response)
    }
  }

  @Test func garbageIsRefusedNotTrusted() {
    #expect(throws: WireError.self) { try Envelope<WorkerRequest>.decode([1, 99]) }
    #expect(throws: WireError.self) { try Envelope<WorkerRequest>.decode([1, 1, 0xff, 0xff, 0xff, 0x7f]) }
    #expect(throws: WireError.self) { try Envelope<WorkerResponse>.decode([]) }
  }
}

@Suite struct BinaryIdentityTests {
  @Test func theTestBinaryHasABuildIDMatchingTheToolchainsView() throws {
    let identity = try BinaryIdentity.current()
    let described = try Subprocess.output(["file", "-b", identity.path]).stdout
    #expect(described.contains("BuildID[sha1]=" + identity.hash.dropFirst()))
    #expect(["x86_64", "aarch64"].contains(identity.architecture))
  }

  @Test func fileWithoutBuildIDHasNone() {
    #expect(BinaryIdentity.buildID(ofELF: Array("#!/bin/sh\necho hi\n".utf8)) == nil)
  }
}
