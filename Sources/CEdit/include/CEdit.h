/* CEdit: line editing for `mpf repl`, from Debian's libedit (linked statically), through its
 * readline-compatible functions. Why a shim: readline's completion hooks are C globals and
 * callbacks that Swift cannot set directly. */
#ifndef CEDIT_H
#define CEDIT_H

/* Reads a line with editing and history; NULL at end of input (Ctrl-D). Free the result. */
char *cedit_readline(const char *prompt, int *interrupted);
void cedit_add_history(const char *line);
int cedit_read_history(const char *path, int limit);
int cedit_write_history(const char *path);
/* `complete(word)` returns a malloc'ed, NULL-terminated array of malloc'ed completions of
 * the word before the cursor (words break at spaces and punctuation, not at '.' or ':'). */
void cedit_set_completer(char **(*complete)(const char *word));

/* Why: the lines and lists above are malloc'ed on both sides of the boundary; these keep the
 * C library's allocator in C (Swift code outside the system layer imports no libc).
 * A zeroed list of `count` entries plus its NULL end; a malloc'ed copy; free. */
char **cedit_new_list(int count);
char *cedit_copy(const char *text);
void cedit_free(void *pointer);

#endif
