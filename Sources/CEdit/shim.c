#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <editline/readline.h>
#include "CEdit.h"

static char **(*cedit_complete)(const char *word) = NULL;
static char **cedit_matches = NULL;
static int cedit_next = 0;

static void cedit_free_matches(void) {
  if (!cedit_matches) return;
  for (int i = cedit_next; cedit_matches[i]; i++) free(cedit_matches[i]);
  free(cedit_matches);
  cedit_matches = NULL;
}

/* readline's generator: the completions one at a time, each handed over to readline. */
static char *cedit_generator(const char *text, int state) {
  if (state == 0) {
    cedit_free_matches();
    cedit_next = 0;
    cedit_matches = cedit_complete ? cedit_complete(text) : NULL;
  }
  if (!cedit_matches || !cedit_matches[cedit_next]) {
    cedit_free_matches();
    return NULL;
  }
  return cedit_matches[cedit_next++];
}

static char **cedit_attempt(const char *text, int start, int end) {
  (void)start;
  (void)end;
  rl_attempted_completion_over = 1; /* no file-name completion */
  return rl_completion_matches(text, cedit_generator);
}

void cedit_set_completer(char **(*complete)(const char *word)) {
  cedit_complete = complete;
  rl_readline_name = "mpf";
  rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(}),[]+-*/%^~#";
  rl_completion_append_character = '\0';
  rl_attempted_completion_function = cedit_attempt;
}

/* readline with libedit's own signal handling off: on Ctrl-C libedit would restore the
 * terminal and send the signal again to the whole process group (kill(0, SIGINT)), the shell
 * that started mpf included. mpf's handler gets it instead, the read returns EINTR, and
 * *interrupted says so (errno cannot be read from Swift here). */
char *cedit_readline(const char *prompt, int *interrupted) {
  rl_catch_signals = 0;
  errno = 0;
  char *line = readline(prompt);
  *interrupted = line == NULL && errno == EINTR;
  return line;
}

void cedit_add_history(const char *line) { add_history(line); }

/* Reads the history file, keeping at most `limit` entries (libedit walks them all at each line). */
int cedit_read_history(const char *path, int limit) {
  stifle_history(limit);
  return read_history(path);
}

int cedit_write_history(const char *path) { return write_history(path); }

char **cedit_new_list(int count) { return calloc((size_t)count + 1, sizeof(char *)); }

char *cedit_copy(const char *text) { return strdup(text); }

void cedit_free(void *pointer) { free(pointer); }
