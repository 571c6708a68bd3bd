/* spin N: N million iterations of a small loop, then the CPU time it took in seconds (the
   process's own CPU time: what other programs do on the machine changes it little).
   Built by examples/deploy.lua with -O0, -O1 or -O2 (the OPT build variable). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  long n = (argc > 1 ? atol(argv[1]) : 10) * 1000000L;
  struct timespec start, end;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
  unsigned long acc = 0;
  for (long i = 0; i < n; i++) acc += ((unsigned long)i ^ ((unsigned long)i >> 3)) * 2654435761u;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end);
  printf("%.6f s %lu\n", (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9, acc);
  return 0;
}
