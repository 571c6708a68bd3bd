import ArgumentParser
import MPFText

/// `--pin NAME=VALUE`, repeatable: a variable held to one value (run, plan). mpf bisect runs
/// each probe so, with `version` pinned to a commit; a user pins a point by hand the same way.
struct PinOption: ParsableArguments {
  @Option(
    name: .customLong("pin"), parsing: .unconditionalSingleValue,
    help: ArgumentHelp(
      "Hold a variable to one value: NAME=VALUE (repeatable). A declared value's text or label picks it; other text is taken as given (a number for a numeric variable).",
      valueName: "name=value"))
  var texts: [String] = []

  /// The pins given, by name (`validate` refused any malformed one).
  var pins: [String: String] {
    var pins: [String: String] = [:]
    for text in texts { if let (name, value) = Self.split(text) { pins[name] = value } }
    return pins
  }

  func validate() throws {
    var seen: Set<String> = []
    for text in texts {
      guard let (name, _) = Self.split(text) else {
        throw ValidationError("--pin '\(text.escapingControlCharacters)' is not NAME=VALUE with NAME a variable's name (letters, digits, _)")
      }
      guard seen.insert(name).inserted else { throw ValidationError("--pin \(name) is given twice") }
    }
  }

  /// `NAME=VALUE` with NAME an identifier; the value is the rest, `=` included.
  private static func split(_ text: String) -> (String, String)? {
    guard let equals = text.firstIndex(of: "=") else { return nil }
    let name = String(text[..<equals])
    guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic),
      name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) })
    else { return nil }
    return (name, String(text[text.index(after: equals)...]))
  }
}
