/* sync_fake_child.h - a fake child for the sync SEQUENCE tests
 * (test_sync_sequence_{create,exec}.c): a forked process that plays the
 * init's (or the exec'd process's) side of the protocol step by step, and
 * at a chosen step sends an error instead or dies. The parent side under
 * test is libcontainer's serve loop (libcontainer/process/serve.h) with
 * create's and exec's own handler tables, included by each test from
 * runtime/. The child uses the named waits of sync.h, as the real ones. */
#ifndef BERTH_SYNC_FAKE_CHILD_H
#define BERTH_SYNC_FAKE_CHILD_H

#include <check.h>
#include <ctype.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/config/config.h"
#include "libcontainer/fdpass.h"
#include "libcontainer/process/spawn.h"
#include "libcontainer/process/sync.h"
#include "runtime/container.h"

/* The steps of the fake child, in the order the real ones send them. */
enum step { STEP_GO, STEP_MAPS, STEP_PTY, STEP_HOOKS, STEP_SECCOMP, STEP_END, N_STEPS };
static const char *const step_names[] = {"go", "maps", "pty", "hooks", "seccomp", "end"};

enum fate { FATE_NONE, FATE_ERROR, FATE_DIES };

struct fake {
	bool exec;	 /* exec's child: no maps, no hooks; its end is the exec */
	bool userns;	 /* do the maps step (needs an unprivileged user namespace) */
	enum step at;	 /* where the fate strikes */
	enum fate fate;	 /* what happens there */
	int sock;	 /* the child's end */
	char dir[64];	 /* holds the seccomp listener socket */
	char listen[96]; /* its path */
	int listen_fd;
	struct berth_id_mapping uid_map, gid_map;
	struct berth_spec spec;
	struct container c;
};

/* Each step as the child does it; a non-zero return is the child's exit
 * status, which the test checks (check's asserts don't cross the fork). */
static inline int child_step(struct fake *f, enum step s)
{
	struct berth_error err = {0};
	struct sync_hook_states hs;
	int p[2];

	switch (s) {
	case STEP_GO:
		return sync_wait_go(f->sock, &err) < 0 ? 10 : 0;
	case STEP_MAPS:
		if (f->exec || !f->userns)
			return 0;
		if (unshare(CLONE_NEWUSER) < 0 || sync_wait_maps_done(f->sock, NULL, &err) < 0)
			return 11;
		return getuid() == 0 && getgid() == 0 ? 0 : 12; /* the maps are written */
	case STEP_PTY:
		if (pipe(p) < 0 || sync_send_pty_master(f->sock, p[0], &err) < 0)
			return 13;
		return 0;
	case STEP_HOOKS: {
		char pid[32];
		if (f->exec)
			return 0;
		if (sync_wait_hooks_done(f->sock, NULL, &hs, &err) < 0)
			return 14;
		snprintf(pid, sizeof(pid), "\"pid\":%d", (int)getpid());
		if (!strstr(hs.create_state, "\"status\":\"creating\"") ||
		    !strstr(hs.create_state, pid) ||
		    !strstr(hs.start_state, "\"status\":\"created\"") ||
		    !strstr(hs.start_state, pid))
			return 15; /* the hooks' states say who and where we are, and when */
		return 0;
	}
	case STEP_SECCOMP:
		if (pipe(p) < 0 || sync_wait_seccomp_done(f->sock, p[1], &err) < 0)
			return 16;
		return 0;
	case STEP_END:
		if (!f->exec && sync_send_ready(f->sock, &err) < 0)
			return 17;
		return 0; /* exec's child: the socket closes on execve, as now on _exit */
	case N_STEPS:
		break;
	}
	return 99;
}

static inline void child_run(struct fake *f)
{
	for (enum step s = STEP_GO; s < N_STEPS; s++) {
		if (s == f->at && f->fate == FATE_DIES)
			_exit(0);
		if (s == f->at && f->fate == FATE_ERROR) {
			struct berth_error e = {0};
			berr_sys(&e, 100 + (int)s, "fake child: step %s", step_names[s]);
			sync_send_error(f->sock, &e);
			_exit(0);
		}
		int rc = child_step(f, s);
		if (rc)
			_exit(rc);
	}
	_exit(0);
}

/* berth's text for the error the child sends at step s (berr_sys's form) */
static inline void want_error(char *buf, size_t len, int s)
{
	int n = snprintf(buf, len, "fake child: step %s: ", step_names[s]);

	snprintf(buf + n, len - (size_t)n, "%s", strerror(100 + s));
	buf[n] = (char)tolower((unsigned char)buf[n]);
}

static inline bool userns_works(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The seccomp listener: a unix socket in a directory of our own. */
static inline void fake_init(struct fake *f, bool exec)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};

	memset(f, 0, sizeof(*f));
	f->exec = exec;
	f->at = N_STEPS;
	f->userns = !exec && userns_works();
	if (!exec && !f->userns)
		fprintf(stderr, "test_sync_sequence: no user namespace here: maps step skipped\n");
	snprintf(f->dir, sizeof(f->dir), "/tmp/berth-seq-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->listen, sizeof(f->listen), "%s/listener", f->dir);
	strcpy(addr.sun_path, f->listen);
	f->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(f->listen_fd, 0);
	ck_assert_int_eq(bind(f->listen_fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(listen(f->listen_fd, 4), 0);
	f->uid_map = (struct berth_id_mapping){0, geteuid(), 1};
	f->gid_map = (struct berth_id_mapping){0, getegid(), 1};
	f->spec.linux_.uid_mappings = &f->uid_map;
	f->spec.linux_.n_uid_mappings = 1;
	f->spec.linux_.gid_mappings = &f->gid_map;
	f->spec.linux_.n_gid_mappings = 1;
	f->spec.linux_.seccomp.listener_path = f->listen;
	f->c.id = "seq";
	f->c.dir_fd = -1;
}

static inline void fake_fini(struct fake *f)
{
	close(f->listen_fd);
	unlink(f->listen);
	rmdir(f->dir);
}

/* Fork the child, then do what the parent does before its serve loop
 * (spawn.h): close the child's end and send GO. */
static inline pid_t fake_start(struct fake *f, struct spawned *ch)
{
	struct berth_error err = {0};

	ck_assert_int_eq(spawn_open(ch, &err), 0);
	ch->pid = fork();
	ck_assert_int_ge(ch->pid, 0);
	if (ch->pid == 0) {
		close(ch->sock);
		f->sock = ch->child_sock;
		child_run(f);
	}
	ck_assert_int_eq(spawn_place(ch, NULL, &err), 0);
	ck_assert_int_eq(ch->child_sock, -1);
	/* A child that already died leaves EPIPE here; the loop still reports. */
	if (sync_send_go(ch->sock, &err) < 0)
		ck_assert(err.errnum == EPIPE || err.errnum == ECONNRESET);
	return ch->pid;
}

static inline int fake_exit_status(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* The listener got the notify fd with the state document, and exactly once. */
static inline void assert_listener_got_fd(struct fake *f)
{
	char doc[4096] = "";
	int fd = -1;
	size_t len = 0;
	int conn = accept4(f->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	ck_assert_int_ge(conn, 0);
	for (;;) {
		struct iovec iov = {doc + len, sizeof(doc) - 1 - len};
		int got = -1;
		ssize_t n = fdpass_recv(conn, &iov, 1, &got, NULL);
		ck_assert_int_ge(n, 0);
		if (n == 0)
			break;
		if (got >= 0) {
			ck_assert_int_eq(fd, -1); /* once */
			fd = got;
		}
		len += (size_t)n;
	}
	doc[len] = '\0';
	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(strstr(doc, "\"fds\":[\"seccompFd\"]"));
	close(fd);
	close(conn);
}

static inline void listener_has_nothing(struct fake *f)
{
	struct pollfd p = {.fd = f->listen_fd, .events = POLLIN};

	ck_assert_int_eq(poll(&p, 1, 0), 0);
}

#endif
