/* exec.h - `exec`: run one more process in a running container. */
#ifndef BERTH_EXEC_H
#define BERTH_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lifecycle.h"

/* Who the process runs as, when not the config's user. */
struct exec_user {
	bool set;     /* uid replaces the config's */
	bool has_gid; /* and gid too */
	uint32_t uid, gid;
};

struct exec_opts {
	const char *id;
	const char *process_file; /* -p: a process.json; replaces the flags below */
	char **args;		  /* the command, when no -p */
	size_t n_args;
	char **env; /* -e K=V, added to (or replacing in) the config's env */
	size_t n_env;
	const char *cwd;
	struct exec_user user;
	const uint32_t *gids; /* replace the config's additional gids when n_gids > 0 */
	size_t n_gids;
	uint64_t caps; /* bit n = capability n: added to bounding/effective/permitted
			* (never inheritable) */
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
