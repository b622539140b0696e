/* lifecycle.h - the OCI operations: create, start, run, kill, delete, exec.
 * Each checks the state machine, then calls libcontainer. */
#ifndef BERTH_LIFECYCLE_H
#define BERTH_LIFECYCLE_H

#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/types.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

struct runtime_opts {
	const char *root;
	enum cgroup_manager_kind cgroup_manager;
	const char *criu;    /* --criu: CRIU binary, NULL: "criu" from PATH */
	bool systemd_cgroup; /* recorded in state.json as systemdCgroup */
	bool rootless;
	bool nested_userns; /* berth itself runs in a user namespace (rootless podman's) */
	char **argv;	    /* berth's own argv, to re-execute from a sealed copy */
};

struct create_opts {
	const char *id;
	const char *bundle;	    /* NULL: cwd */
	const char *console_socket; /* NULL: none */
	const char *pid_file;	    /* NULL: none */
	bool no_pivot;
	bool no_new_keyring;
	int preserve_fds;
	bool foreground; /* `run` without -d: berth keeps the pty master and waits */
};

struct created_container {
	pid_t pid;
	int pidfd;
	int pty_master; /* foreground runs with a terminal, else -1 */
	struct berth_spec *spec;
	sigset_t old_sigmask; /* foreground: signals are blocked for forwarding */
};

int runtime_create(const struct runtime_opts *ro, const struct create_opts *o,
		   struct created_container *out, struct berth_error *err);
int runtime_start(const struct runtime_opts *ro, const char *id, struct berth_error *err);
/* create + start + (wait + delete unless detached). Returns the exit status. */
int runtime_run(const struct runtime_opts *ro, const struct create_opts *o, bool detach, bool keep,
		struct berth_error *err);
int runtime_kill(const struct runtime_opts *ro, const char *id, int sig, bool all,
		 struct berth_error *err);
int runtime_delete(const struct runtime_opts *ro, const char *id, bool force,
		   struct berth_error *err);

/* Wait for a child we started, forwarding signals and proxying a pty;
 * returns its exit status (128+signal when killed). */
int runtime_wait_child(pid_t pid, int pidfd, int pty_master, struct berth_error *err);
/* Remove what create made for a container that is gone (cgroup, state dir)
 * and run its poststop hooks. */
struct container;
int runtime_destroy(struct container *c, struct berth_error *err);

/* The container's processes (host pids), from its cgroup; free() *pids. */
int runtime_ps_pids(const struct runtime_opts *ro, const char *id, pid_t **pids, size_t *n,
		    struct berth_error *err);

/* --pid-file: the directory is opened by prepare (path may be NULL: then
 * commit does nothing), the file written atomically by commit. */
struct pidfile {
	int dir_fd;
	char name[256];
};
/* The path as given, made absolute against the cwd ("" when path is NULL):
 * it is written after create has changed directory. */
int pidfile_absolute(const char *path, char out[PATH_MAX], struct berth_error *err);
/* berth_error.reason values runtime/ sets; cmd/ adds the flag's name. */
enum runtime_error_reason {
	RUNTIME_ERR_PID_FILE_PATH = 100, /* the pid file's absolute path is too long */
	RUNTIME_ERR_EXEC_NO_COMMAND,	 /* exec: neither args nor a process file */
	RUNTIME_ERR_EXEC_PAUSED,	 /* exec into a paused container */
	RUNTIME_ERR_PARENT_ABSOLUTE,	 /* checkpoint: the parent image path is absolute */
	RUNTIME_ERR_PARENT_MISSING,	 /* checkpoint: it names no directory */
};

int pidfile_prepare(const char *path, struct pidfile *pf, struct berth_error *err);
int pidfile_commit(struct pidfile *pf, pid_t pid, struct berth_error *err);
void pidfile_close(struct pidfile *pf);

/* "SIGKILL", "KILL", "9" -> 9; "0" -> 0 (an existence check) */
int signal_parse(const char *s, int *sig);

#endif
