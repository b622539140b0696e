/* spawn.h - the parent side of making a container's process: clone the
 * init (create) or a process that joins a running container (exec) into
 * its namespaces and cgroup, place it, and let it go on. What the child
 * asks for afterwards is served by serve.h.
 *
 * Never: decide the OCI lifecycle (state files, intent record, hooks):
 * the caller does that between the steps. */
#ifndef BERTH_SPAWN_H
#define BERTH_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "init.h"
#include "join.h"
#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

/* The parent's hold on a child it clones; spawned_close() releases it. */
struct spawned {
	pid_t pid;	  /* > 0 once cloned */
	int pidfd;	  /* of the child */
	int sock;	  /* our end of the sync socket */
	int child_sock;	  /* the child's end, closed once the child is placed */
	int procfd;	  /* the host's /proc, checked */
	int console_sock; /* --console-socket: the pty master goes there; -1: kept */
	int pty_master;	  /* the kept pty master, or -1 */
	int notify_sock;  /* the seccomp listener connected before the clone, or -1 */
	/* the init builds its mounts while it is placed: it may have failed
	 * and gone before GO, its error waiting in the socket */
	bool busy_before_go;
};

#define SPAWNED_INIT                                                                               \
	{                                                                                          \
		.pidfd = -1, .sock = -1, .child_sock = -1, .procfd = -1, .console_sock = -1,       \
		.pty_master = -1, .notify_sock = -1                                                \
	}

/* The sync socketpair and the host's /proc, before the clone. */
int spawn_open(struct spawned *s, struct berth_error *err);
/* Close every fd still held (take the pidfd and pty master first to keep them). */
void spawned_close(struct spawned *s);
/* A failed create: SIGKILL the child and reap it. */
void spawned_kill(struct spawned *s);
/* A failed exec: close our end (a child still waiting for GO sees that
 * and exits) and reap it. */
void spawned_abandon(struct spawned *s);

/* create: clone the container init into its new namespaces (a pid
 * namespace given by path joined for the clone only, time offsets written
 * before it) and its cgroup. `cfg` says what the init does; filled in
 * here: new_userns, unshare_cgroupns, self_join. Relative mount sources
 * are relative to `bundle`, the cwd from here on. */
int spawn_init(struct spawned *s, struct init_config *cfg, const char *bundle,
	       struct cgroup_manager *cg, struct berth_error *err);

/* What exec's clone needs beyond what its child does (join_config). */
struct spawn_join {
	const char *id; /* the container, for messages */
	struct cgroup_manager *cgroup;
	const struct berth_seccomp *seccomp; /* linux.seccomp: its listener */
	bool nested_userns;		     /* berth itself runs in a user namespace */
	/* non-NULL: block every signal just before the clone (they are
	 * forwarded to the child), the old mask saved here */
	sigset_t *old_mask;
};

/* exec: clone a process born inside every namespace of the running
 * container (cfg->init_pid) and its cgroup. `cfg` says what the process
 * does; filled in here: ns_flags, userns, self_join. */
int spawn_join(struct spawned *s, struct join_config *cfg, const struct spawn_join *j,
	       struct berth_error *err);

/* Cloned: close the child's end of the socket, move the child into the
 * cgroup (cg may be NULL: none) where it was not born in it. */
int spawn_place(struct spawned *s, struct cgroup_manager *cg, struct berth_error *err);
/* Placed: write its oom_score_adj (from p), then let it go on (GO). */
int spawn_go(struct spawned *s, const struct berth_process *p, struct berth_error *err);

#endif
