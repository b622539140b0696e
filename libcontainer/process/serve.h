/* serve.h - the parent's one loop over what its child asks between the
 * clone and its end (the init's READY, an exec'd process's execve), for
 * create and exec alike.
 *
 * The loop receives each message and dispatches it by type through a table
 * of handlers; a type not in the table is a protocol error, a SYNC_ERROR
 * is the child's failure and becomes the caller's error. The handlers both
 * operations answer alike are here; the caller adds its own (create: the
 * id maps and its hooks, with its crash points) to its table. */
#ifndef BERTH_SERVE_H
#define BERTH_SERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"
#include "spawn.h"
#include "sync.h"

/* A handler's result that ends the loop: the child is ready. */
#define SERVE_DONE 1

struct serve;

struct serve_handler {
	enum sync_type type;
	/* 0: serve on; SERVE_DONE: the child is ready; -1: failed, with err */
	int (*fn)(const struct serve *s, struct sync_msg *msg, struct berth_error *err);
	/* the fd the message must carry ("pty"), else NULL; the handler owns it */
	const char *fd_name;
};

struct serve {
	const char *peer; /* names the child in errors: "container init", "exec" */
	/* exec: the child's end closes when it execs, which ends the loop */
	bool done_at_close;
	const struct serve_handler *handlers;
	size_t n_handlers;
	struct spawned *child;
	const struct berth_spec *spec; /* id maps, linux.seccomp's listener */
	/* The message for linux.seccomp's listener (the container process
	 * state, rendered above the library); free() it; NULL with err. */
	char *(*seccomp_message)(void *arg, struct berth_error *err);
	void *arg; /* the caller's, for its handlers and seccomp_message */
};

/* Serve until a handler says SERVE_DONE (or, with done_at_close, the
 * child's end closes); -1 with err when the child failed or broke the
 * protocol. */
int serve_child(const struct serve *s, struct berth_error *err);

/* SYNC_PTY_MASTER: to the console socket when there is one, else kept in
 * child->pty_master. */
int serve_pty_master(const struct serve *s, struct sync_msg *msg, struct berth_error *err);
/* SYNC_SECCOMP_FD: to linux.seccomp.listenerPath, then SECCOMP_DONE. */
int serve_seccomp_fd(const struct serve *s, struct sync_msg *msg, struct berth_error *err);
/* SYNC_MAPS_REQUEST: write the child's uid/gid maps, then MAPS_DONE. */
int serve_maps(const struct serve *s, struct sync_msg *msg, struct berth_error *err);
/* SYNC_READY: SERVE_DONE. */
int serve_ready(const struct serve *s, struct sync_msg *msg, struct berth_error *err);

#endif
