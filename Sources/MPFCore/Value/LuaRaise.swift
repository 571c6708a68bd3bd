/// An error whose message a registered function wants raised exactly as written.
package struct LuaRaise: Error {
  package var message: String
  package init(_ message: String) { self.message = message }
}
