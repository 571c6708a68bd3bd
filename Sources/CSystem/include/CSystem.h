/* CSystem: the few Linux calls Swift cannot make directly. Each shim says why. */
#ifndef CSYSTEM_H
#define CSYSTEM_H
#include <sys/types.h>

/* Why: prctl is variadic. Makes this process the reaper of its orphaned descendants
 * (PR_SET_CHILD_SUBREAPER), so daemons that detach (iperf3 -D, setsid) stay ours to end. */
int csystem_set_child_subreaper(void);

/* Why: prctl is variadic. Asks for `sig` when the parent process dies (PR_SET_PDEATHSIG). */
int csystem_set_parent_death_signal(int sig);

/* Why: WIFEXITED & co. are macros. Returns the exit code, or 128+signal for a killed process. */
int csystem_exit_code(int status);

/* Why: pipe2 needs _GNU_SOURCE, which Swift's Glibc module does not define. */
int csystem_pipe_cloexec(int fds[2]);

/* Why: ioctl is variadic. The columns of the terminal on `fd`, or 0 when it is not one. */
int csystem_terminal_columns(int fd);

/* Why: mallopt and its M_* constants are in malloc.h, which Swift's Glibc module leaves out.
 * One arena, large blocks mapped apart, the top trimmed: freed memory goes back to the system. */
void csystem_return_freed_memory(void);

#endif
