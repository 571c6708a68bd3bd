internal import CLua
package import MPFCore

extension LuaValue {
  /// Copies the value at `index` of `L` with raw accesses only (no metamethod can run).
  ///
  /// Tables are copied deeply; a table that contains itself is cut off at the repeat and marked
  /// `.opaque("cyclic table")`, one nested deeper than 64 levels `.opaque("table too deep")`.
  package init(at index: Int32, in L: OpaquePointer) {
    var path: Set<UnsafeRawPointer> = []
    self.init(at: index, in: L, path: &path)
  }

  fileprivate init(at index: Int32, in L: OpaquePointer, path: inout Set<UnsafeRawPointer>) {
    switch lua_type(L, index) {
    case LUA_TNIL, LUA_TNONE: self = .nil
    case LUA_TBOOLEAN: self = .boolean(lua_toboolean(L, index) != 0)
    case LUA_TNUMBER:
      self = lua_isinteger(L, index) != 0 ? .integer(clua_tointeger(L, index)) : .number(clua_tonumber(L, index))
    case LUA_TSTRING: self = .string(String(luaString: L, at: index))
    case LUA_TTABLE:
      guard let identity = lua_topointer(L, index), !path.contains(identity) else {
        self = .opaque("cyclic table")
        return
      }
      // Each level holds a key and a value on the stack: make room, and bound the depth.
      guard path.count < 64, lua_checkstack(L, 4) != 0 else {
        self = .opaque("table too deep")
        return
      }
      path.insert(identity)
      self = .table(LuaTable(at: lua_absindex(L, index), in: L, path: &path))
      path.remove(identity)
    case LUA_TFUNCTION: self = .opaque("function")
    case LUA_TUSERDATA:
      if let raw = clua_toobject(L, index) {
        self = .object(Unmanaged<LuaObject>.fromOpaque(raw).takeUnretainedValue())
      } else {
        self = .opaque("userdata")
      }
    case LUA_TLIGHTUSERDATA: self = .opaque("userdata")
    case LUA_TTHREAD: self = .opaque("thread")
    default: self = .opaque("unknown")
    }
  }

  /// Pushes the value; `.opaque` values cannot be rebuilt and push nil.
  package func push(onto L: OpaquePointer) {
    switch self {
    case .nil, .opaque: lua_pushnil(L)
    case .object(let object):
      // The userdata holds a retained reference; its __gc releases it (LuaState sets the release).
      clua_pushobject(L, Unmanaged.passRetained(object).toOpaque(), object.typeName)
    case .boolean(let b): lua_pushboolean(L, b ? 1 : 0)
    case .integer(let i): lua_pushinteger(L, i)
    case .number(let d): lua_pushnumber(L, d)
    case .string(let s): s.push(onto: L)
    case .table(let t):
      guard lua_checkstack(L, 4) != 0 else {
        lua_pushnil(L)
        return
      }
      lua_createtable(L, Int32(clamping: t.array.count), Int32(clamping: t.fields.count))
      for (i, item) in t.array.enumerated() {
        item.push(onto: L)
        lua_rawseti(L, -2, lua_Integer(i + 1))
      }
      for (key, value) in t.fields where key != .nil {
        key.push(onto: L)
        value.push(onto: L)
        lua_rawset(L, -3)
      }
    }
  }
}

extension LuaTable {
  /// Reads the sequence `t[1..#t]` (raw length) into `array`, every other key into `fields`.
  fileprivate init(at index: Int32, in L: OpaquePointer, path: inout Set<UnsafeRawPointer>) {
    let count = Int(lua_rawlen(L, index))
    var array: [LuaValue] = []
    array.reserveCapacity(count)
    for i in 0..<count {
      lua_rawgeti(L, index, lua_Integer(i + 1))
      array.append(LuaValue(at: -1, in: L, path: &path))
      clua_pop(L, 1)
    }
    var fields: [LuaValue: LuaValue] = [:]
    lua_pushnil(L)
    while lua_next(L, index) != 0 {  // stack: key, value
      let key = LuaValue(at: -2, in: L, path: &path)
      let isSequenceKey = key.intValue.map { $0 >= 1 && $0 <= count } ?? false
      if !(isSequenceKey && lua_isinteger(L, -2) != 0) {
        fields[key] = LuaValue(at: -1, in: L, path: &path)
      }
      clua_pop(L, 1)  // stack: key
    }
    self.init(array: array, fields: fields)
  }
}

extension String {
  /// Reads a Lua string with its length (it may contain NUL); invalid UTF-8 is repaired.
  package init(luaString L: OpaquePointer, at index: Int32) {
    var length = 0
    guard let pointer = lua_tolstring(L, index, &length) else {
      self = ""
      return
    }
    self = pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
      String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
  }

  /// Pushes the string with its length (`lua_pushlstring`).
  package func push(onto L: OpaquePointer) {
    var copy = self
    copy.withUTF8 { buffer in
      buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
    }
  }
}
