/// A host value that a Lua script holds as a full userdata of a named type (`mpf.DataFrame`):
/// the value stays in Swift, and Lua reaches it only through that type's metatable, whose
/// methods call back into the host. A script cannot forge one.
package final class LuaObject: Sendable, Hashable {
  /// The userdata's metatable name, as `luaL_newmetatable` registers it.
  package let typeName: String
  package let value: any Sendable

  package init(typeName: String, value: any Sendable) {
    self.typeName = typeName
    self.value = value
  }

  package static func == (a: LuaObject, b: LuaObject) -> Bool { a === b }
  package func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
