/* SwiftPM needs one source file per C target; libyaml itself comes from libyaml.a. */
