// CFuzz is a header only (include/CFuzz.h); SwiftPM wants a source file in a C target.
