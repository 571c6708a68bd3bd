// libFuzzer's driver, for mpf-fuzz built with -sanitize=fuzzer (scripts/fuzz). Declared only:
// the symbol comes from the toolchain's libFuzzer, linked by that build alone.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
