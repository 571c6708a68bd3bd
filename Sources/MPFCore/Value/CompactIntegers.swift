/// 32-bit integers kept as a rule while they follow one (the same value each time, or a count
/// by a fixed step: a run's index, its repetition) and as an array from the first value that
/// breaks it.
///
/// The run index and repetition of every run were 8 bytes a run in the records and 8 in the
/// plan (1.6 MB at 100 000 runs); an experiment's runs usually count up by one and share a
/// repetition, so these cost nothing until a run does otherwise (a resume, repetitions).
package typealias CompactIntegers = SteppedValues<Int32>
