/* Reference for `ex 'true'`: posix_spawn `sh -c true` and wait for it, N times. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
extern char **environ;
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  char *args[] = {"sh", "-c", "true", NULL};
  for (int i = 0; i < n; i++) {
    pid_t pid;
    if (posix_spawnp(&pid, "sh", NULL, NULL, args, environ) != 0) return 1;
    int status;
    waitpid(pid, &status, 0);
  }
  return 0;
}
