/* sync.h - the typed messages between berth and the process it clones
 * (container init or exec'd process), over one SOCK_SEQPACKET socketpair.
 *
 * Each message is one datagram: a fixed header (type, payload length)
 * followed by at most SYNC_PAYLOAD_MAX bytes, optionally carrying one fd.
 * The receiver checks the length it got against the header, never trusting
 * a length field alone (the class of CVE-2021-43784). The child's waits
 * (sync_wait_*) and the parent's answers (sync_send_*) are named, so both
 * sequences read from the calls; the parent serves the child's requests in
 * one loop (serve.h).
 *
 * No message carries a pid: clone3 gives the parent the child's pid and
 * pidfd directly, and the init is its child, never a grandchild. */
#ifndef BERTH_SYNC_H
#define BERTH_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libcontainer/error.h"

/* Room for the two state documents of SYNC_HOOKS_DONE, each as large as
 * one message could carry before there were two. */
#define SYNC_PAYLOAD_MAX 8192

enum sync_type {
	SYNC_ERROR = 1,	    /* child -> parent: payload is the error message, errnum in `value` */
	SYNC_MAPS_REQUEST,  /* child -> parent: I am in my user namespace, write my id maps */
	SYNC_MAPS_DONE,	    /* parent -> child */
	SYNC_HOOKS_REQUEST, /* child -> parent: mounts done, run prestart/createRuntime hooks */
	SYNC_HOOKS_DONE,    /* parent -> child: the hooks' state documents (sync_hook_states) */
	SYNC_PTY_MASTER,    /* child -> parent: fd is the pty master */
	SYNC_SECCOMP_FD,    /* child -> parent: fd is the seccomp notify fd */
	SYNC_SECCOMP_DONE,  /* parent -> child: the fd reached the listener */
	SYNC_READY,	    /* child -> parent: set up, waiting for start (init) */
	SYNC_GO,	    /* parent -> child: proceed (e.g. exec: cgroup joined) */
};

struct sync_msg {
	uint32_t type;
	uint32_t len;			    /* bytes of payload that follow */
	int64_t value;			    /* errno, a pid, ... */
	char payload[SYNC_PAYLOAD_MAX + 1]; /* NUL-terminated on receive */
	int fd;				    /* received fd or -1 */
};

int sync_socketpair(int fds[2], struct berth_error *err);
const char *sync_type_name(enum sync_type t);

/* Send a message; fd < 0 sends none. */
int sync_send(int sock, enum sync_type type, int64_t value, const void *payload, size_t len, int fd,
	      struct berth_error *err);
/* Receive one message; returns 0, or -1 with err: EOF is "peer closed", a
 * message that breaks the format has errnum EPROTO (the text says how). */
int sync_recv(int sock, struct sync_msg *msg, struct berth_error *err);
/* Receive and require `type`. A SYNC_ERROR from the peer becomes err (its
 * text, its errno); any other type is a protocol error. */
int sync_expect(int sock, enum sync_type type, struct sync_msg *msg, struct berth_error *err);

/* Child side: report a failure to the parent (best effort) */
void sync_send_error(int sock, const struct berth_error *e);
/* Child side: die with SIGKILL when the parent dies (PR_SET_PDEATHSIG),
 * and fail if it died already, before the signal was armed: then the
 * parent's end of `sock` is closed. getppid() can't tell: in a new pid
 * namespace it reads 0. Call it again after a credential change, which
 * clears the signal. */
int sync_die_with_parent(int sock, struct berth_error *err);

/* Parent side: the answers to the child's requests (serve.h's handlers)
 * and the go-ahead once the child is placed (spawn.h). */
int sync_send_go(int sock, struct berth_error *err);
int sync_send_maps_done(int sock, struct berth_error *err);
int sync_send_seccomp_done(int sock, struct berth_error *err);
/* SYNC_HOOKS_DONE's payload: the state documents of the hooks run in the
 * container, rendered by the parent (the init builds no JSON): the one
 * for createContainer, a NUL, the one for startContainer. */
int sync_send_hook_states(int sock, const char *create_state, const char *start_state,
			  struct berth_error *err);

/* Child side, its waits by name. The init builds its mounts while the
 * parent places it, so GO may arrive while it waits for another answer:
 * `go_seen` notes that and the wait goes on (NULL: no GO may come first). */
/* Wait until the parent has placed us (cgroup, oom_score_adj). */
int sync_wait_go(int sock, struct berth_error *err);
/* In our new user namespace: ask for the id maps and wait until written. */
int sync_wait_maps_done(int sock, bool *go_seen, struct berth_error *err);
/* SYNC_HOOKS_DONE as received: the two documents point into msg. */
struct sync_hook_states {
	struct sync_msg msg;
	const char *create_state; /* "creating", for createContainer */
	const char *start_state;  /* "created", for startContainer */
};
/* Mounts done: ask for prestart/createRuntime and wait until they ran;
 * `out` gets the documents for our own hooks. */
int sync_wait_hooks_done(int sock, bool *go_seen, struct sync_hook_states *out,
			 struct berth_error *err);
/* Hand the seccomp notify fd over and wait until the parent has passed it
 * on to linux.seccomp.listenerPath. */
int sync_wait_seccomp_done(int sock, int notify_fd, struct berth_error *err);
/* Hand the pty master over (no answer). */
int sync_send_pty_master(int sock, int master, struct berth_error *err);
/* The init is set up and waits for start (no answer). */
int sync_send_ready(int sock, struct berth_error *err);

/* Point *create_state and *start_state into `msg` (a received
 * SYNC_HOOKS_DONE); a payload without the two parts is EPROTO. */
int sync_hook_states(const struct sync_msg *msg, const char **create_state,
		     const char **start_state, struct berth_error *err);

#endif
