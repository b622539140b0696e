/* exec.h - `exec`: run one more process in a running container. */
#ifndef BERTH_EXEC_H
#define BERTH_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "lifecycle.h"

struct exec_opts {
	const char *id;
	const char *process_file; /* -p: a process.json; replaces the flags below */
	char **args;		  /* the command, when no -p */
	size_t n_args;
	char **env; /* -e K=V, added to (or replacing in) the config's env */
	size_t n_env;
	const char *cwd;
	const char *user; /* -u UID[:GID] */
	char **groups;	  /* -g GID */
	size_t n_groups;
	char **caps; /* -c CAP: added to bounding/effective/permitted (never inheritable) */
	size_t n_caps;
	const char *apparmor;
	const char *process_label;
	bool no_new_privs;
	bool tty;
	const char *console_socket;
	bool detach;
	const char *pid_file;
	int preserve_fds;
	bool ignore_paused;
};

/* Returns the process's exit status (or 0 when detached); -1 with err when
 * the exec itself failed. */
int runtime_exec(const struct runtime_opts *ro, const struct exec_opts *o, struct berth_error *err);

#endif
