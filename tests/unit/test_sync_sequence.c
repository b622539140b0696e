/* test_sync_sequence.c - the parent/child message SEQUENCE, not only the
 * codec: create's and exec's own parent loops (serve_child, serve) served
 * against a fake child, a forked process that plays the init's (or the
 * exec'd process's) side step by step: the happy path, an error from the
 * child at each step, a child that dies at each step, a message shorter
 * than a header and one longer than the largest payload.
 *
 * The loops are static in runtime/create.c and runtime/exec.c and share
 * their context structs with nothing else, so this file includes the two
 * sources and tests the functions exactly as they are built into berth. */
#include <check.h>
#include <ctype.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/fdpass.h"
#include "runtime/create.c"
#include "runtime/exec.c"

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
static int child_step(struct fake *f, enum step s)
{
	struct berth_error err = {0};
	struct sync_msg msg;
	int p[2];

	switch (s) {
	case STEP_GO:
		return sync_wait_go(f->sock, &err) < 0 ? 10 : 0;
	case STEP_MAPS:
		if (f->exec || !f->userns)
			return 0;
		if (unshare(CLONE_NEWUSER) < 0 ||
		    sync_send(f->sock, SYNC_MAPS_REQUEST, 0, NULL, 0, -1, &err) < 0 ||
		    sync_expect(f->sock, SYNC_MAPS_DONE, &msg, &err) < 0)
			return 11;
		return getuid() == 0 && getgid() == 0 ? 0 : 12; /* the maps are written */
	case STEP_PTY:
		if (pipe(p) < 0 || sync_send(f->sock, SYNC_PTY_MASTER, 0, NULL, 0, p[0], &err) < 0)
			return 13;
		return 0;
	case STEP_HOOKS: {
		char pid[32];
		if (f->exec)
			return 0;
		if (sync_send(f->sock, SYNC_HOOKS_REQUEST, 0, NULL, 0, -1, &err) < 0 ||
		    sync_expect(f->sock, SYNC_HOOKS_DONE, &msg, &err) < 0)
			return 14;
		snprintf(pid, sizeof(pid), "\"pid\":%d", (int)getpid());
		if (!strstr(msg.payload, "\"status\":\"creating\"") || !strstr(msg.payload, pid))
			return 15; /* the hooks' state says who and where we are */
		return 0;
	}
	case STEP_SECCOMP:
		if (pipe(p) < 0 || sync_wait_seccomp_done(f->sock, p[1], &err) < 0)
			return 16;
		return 0;
	case STEP_END:
		if (!f->exec && sync_send(f->sock, SYNC_READY, 0, NULL, 0, -1, &err) < 0)
			return 17;
		return 0; /* exec's child: the socket closes on execve, as now on _exit */
	case N_STEPS:
		break;
	}
	return 99;
}

static void child_run(struct fake *f)
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
static void want_error(char *buf, size_t len, int s)
{
	int n = snprintf(buf, len, "fake child: step %s: ", step_names[s]);

	snprintf(buf + n, len - (size_t)n, "%s", strerror(100 + s));
	buf[n] = (char)tolower((unsigned char)buf[n]);
}

static bool userns_works(void)
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
static void fake_init(struct fake *f, bool exec)
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

static void fake_fini(struct fake *f)
{
	close(f->listen_fd);
	unlink(f->listen);
	rmdir(f->dir);
}

/* Fork the child, then do what the parent does before its loop: close the
 * child's end and send GO. */
static pid_t fake_start(struct fake *f, int sync[2])
{
	struct berth_error err = {0};

	ck_assert_int_eq(sync_socketpair(sync, &err), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(sync[0]);
		f->sock = sync[1];
		child_run(f);
	}
	close(sync[1]);
	sync[1] = -1;
	/* A child that already died leaves EPIPE here; its loop still reports. */
	if (sync_send(sync[0], SYNC_GO, 0, NULL, 0, -1, &err) < 0)
		ck_assert(err.errnum == EPIPE || err.errnum == ECONNRESET);
	return pid;
}

static int fake_exit_status(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* The listener got the notify fd with the state document, and exactly once. */
static void assert_listener_got_fd(struct fake *f)
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

static void listener_has_nothing(struct fake *f)
{
	struct pollfd p = {.fd = f->listen_fd, .events = POLLIN};

	ck_assert_int_eq(poll(&p, 1, 0), 0);
}

/* create's loop against the fake init; returns serve_child's result. */
static int serve_create(struct fake *f, struct create_ctx *x, pid_t *pid, struct berth_error *err)
{
	*x = (struct create_ctx){
	    .spec = &f->spec, .console_sock = -1, .start_fd = -1, .pidfd = -1, .pty_master = -1};
	x->c.id = "seq";
	x->c.dir_fd = -1;
	x->procfd = procfs_open(err);
	ck_assert_int_ge(x->procfd, 0);
	*pid = x->pid = fake_start(f, x->sync);
	return serve_child(x, err);
}

static void close_create(struct create_ctx *x)
{
	if (x->pty_master >= 0)
		close(x->pty_master);
	close(x->procfd);
	close(x->sync[0]);
}

START_TEST(create_happy_path)
{
	struct fake f;
	struct create_ctx x;
	struct berth_error err = {0};
	struct stat st;
	pid_t pid;

	fake_init(&f, false);
	ck_assert_int_eq(serve_create(&f, &x, &pid, &err), 0);
	ck_assert_int_eq(fake_exit_status(pid), 0);
	/* the pty master stays with create (no console socket): our pipe */
	ck_assert_int_ge(x.pty_master, 0);
	ck_assert_int_eq(fstat(x.pty_master, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	assert_listener_got_fd(&f);
	close_create(&x);
	fake_fini(&f);
}
END_TEST

/* An error at step _i ends the loop with the child's text and errno. */
START_TEST(create_error_at_each_step)
{
	struct fake f;
	struct create_ctx x;
	struct berth_error err = {0};
	char want[128];
	pid_t pid;

	fake_init(&f, false);
	f.at = (enum step)_i;
	f.fate = FATE_ERROR;
	ck_assert_int_eq(serve_create(&f, &x, &pid, &err), -1);
	want_error(want, sizeof(want), _i);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(err.errnum, 100 + _i);
	ck_assert_int_eq(fake_exit_status(pid), 0);
	if (_i <= STEP_SECCOMP)
		listener_has_nothing(&f);
	close_create(&x);
	fake_fini(&f);
}
END_TEST

/* A child that dies at step _i: the loop says so instead of waiting. */
START_TEST(create_child_dies_at_each_step)
{
	struct fake f;
	struct create_ctx x;
	struct berth_error err = {0};
	pid_t pid;

	fake_init(&f, false);
	f.at = (enum step)_i;
	f.fate = FATE_DIES;
	ck_assert_int_eq(serve_create(&f, &x, &pid, &err), -1);
	ck_assert_str_eq(err.msg, "container init: sync: peer closed the connection");
	ck_assert_int_eq(fake_exit_status(pid), 0);
	close_create(&x);
	fake_fini(&f);
}
END_TEST

/* Raw datagrams from the child, each refused by create's loop. */
static void create_refuses(const void *data, size_t len, int fd, const char *want)
{
	struct fake f;
	struct create_ctx x;
	struct berth_error err = {0};
	pid_t pid;
	int sv[2];

	fake_init(&f, false);
	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct iovec iov = {(void *)data, len};
		close(sv[0]);
		_exit(fdpass_send(sv[1], &iov, 1, fd) == (ssize_t)len ? 0 : 1);
	}
	close(sv[1]);
	x = (struct create_ctx){.spec = &f.spec, .console_sock = -1, .pty_master = -1};
	x.sync[0] = sv[0];
	x.sync[1] = -1;
	x.pid = pid;
	ck_assert_int_eq(fake_exit_status(pid), 0);
	ck_assert_int_eq(serve_child(&x, &err), -1);
	ck_assert_str_eq(err.msg, want);
	close(sv[0]);
	fake_fini(&f);
}

START_TEST(create_short_message)
{
	create_refuses("ab", 2, -1,
		       "container init: sync: malformed message (2 bytes, shorter than a header)");
}
END_TEST

/* Longer than any message may be: refused, and an fd riding on it is
 * closed, not kept (the pipe's writer count drops back to ours). */
START_TEST(create_oversized_message)
{
	static struct {
		uint32_t type, len;
		int64_t value;
		char payload[SYNC_PAYLOAD_MAX + 100];
	} big = {SYNC_READY, SYNC_PAYLOAD_MAX + 100, 0, ""};
	char want[128];
	int p[2];
	char c;

	ck_assert_int_eq(pipe(p), 0);
	snprintf(want, sizeof(want),
		 "container init: sync: malformed message (%zu bytes, header says %u)",
		 16 + (size_t)SYNC_PAYLOAD_MAX, (unsigned)big.len);
	create_refuses(&big, sizeof(big), p[1], want);
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 0); /* EOF: no writer left anywhere */
	close(p[0]);
}
END_TEST

START_TEST(create_unexpected_messages)
{
	struct {
		uint32_t type, len;
		int64_t value;
	} go = {SYNC_GO, 0, 0}, pty = {SYNC_PTY_MASTER, 0, 0};

	create_refuses(&go, sizeof(go), -1, "container init: unexpected message go");
	create_refuses(&pty, sizeof(pty), -1, "container init sent no pty");
}
END_TEST

/* exec's loop against the fake exec'd process. */
static int serve_exec(struct fake *f, struct exec_ctx *x, pid_t *pid, struct berth_error *err)
{
	*x = (struct exec_ctx){.spec = &f->spec,
			       .c = &f->c,
			       .console_sock = -1,
			       .pidfd = -1,
			       .pty_master = -1,
			       .notify_sock = -1};
	*pid = x->pid = fake_start(f, x->sync);
	return serve(x, err);
}

static void close_exec(struct exec_ctx *x)
{
	if (x->pty_master >= 0)
		close(x->pty_master);
	close(x->sync[0]);
}

START_TEST(exec_happy_path)
{
	struct fake f;
	struct exec_ctx x;
	struct berth_error err = {0};
	pid_t pid;

	fake_init(&f, true);
	ck_assert_int_eq(serve_exec(&f, &x, &pid, &err), 0);
	ck_assert_int_eq(fake_exit_status(pid), 0);
	ck_assert_int_ge(x.pty_master, 0);
	assert_listener_got_fd(&f);
	close_exec(&x);
	fake_fini(&f);
}
END_TEST

START_TEST(exec_error_at_each_step)
{
	struct fake f;
	struct exec_ctx x;
	struct berth_error err = {0};
	char want[128];
	pid_t pid;

	fake_init(&f, true);
	f.at = (enum step)_i;
	f.fate = FATE_ERROR;
	ck_assert_int_eq(serve_exec(&f, &x, &pid, &err), -1);
	want_error(want, sizeof(want), _i);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(err.errnum, 100 + _i);
	ck_assert_int_eq(fake_exit_status(pid), 0);
	close_exec(&x);
	fake_fini(&f);
}
END_TEST

/* For exec, the socket closing IS the success signal (execve closed it),
 * so a child that dies looks the same here: its exit status, which
 * runtime_wait_child reports next, is what tells the two apart. */
START_TEST(exec_child_dies_at_each_step)
{
	struct fake f;
	struct exec_ctx x;
	struct berth_error err = {0};
	pid_t pid;

	fake_init(&f, true);
	f.at = (enum step)_i;
	f.fate = FATE_DIES;
	ck_assert_int_eq(serve_exec(&f, &x, &pid, &err), 0);
	ck_assert_int_eq(fake_exit_status(pid), 0);
	close_exec(&x);
	fake_fini(&f);
}
END_TEST

/* A broken message is an error, not taken for the close of a successful
 * execve (as it was: every failed receive meant "exec'd"). */
START_TEST(exec_short_message)
{
	struct fake f;
	struct exec_ctx x;
	struct berth_error err = {0};
	int sv[2];

	fake_init(&f, true);
	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	ck_assert_int_eq(send(sv[1], "ab", 2, 0), 2);
	close(sv[1]);
	x = (struct exec_ctx){.spec = &f.spec, .c = &f.c, .console_sock = -1, .notify_sock = -1};
	x.sync[0] = sv[0];
	x.sync[1] = -1;
	ck_assert_int_eq(serve(&x, &err), -1);
	ck_assert_str_eq(err.msg, "exec: sync: malformed message (2 bytes, shorter than a header)");
	ck_assert_int_eq(err.errnum, EPROTO);
	close(sv[0]);
	fake_fini(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sync_sequence");
	TCase *tc = tcase_create("create");
	TCase *te = tcase_create("exec");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, create_happy_path);
	tcase_add_loop_test(tc, create_error_at_each_step, STEP_GO, N_STEPS);
	tcase_add_loop_test(tc, create_child_dies_at_each_step, STEP_GO, N_STEPS);
	tcase_add_test(tc, create_short_message);
	tcase_add_test(tc, create_oversized_message);
	tcase_add_test(tc, create_unexpected_messages);
	tcase_add_test(te, exec_happy_path);
	tcase_add_loop_test(te, exec_error_at_each_step, STEP_GO, N_STEPS);
	tcase_add_loop_test(te, exec_child_dies_at_each_step, STEP_GO, N_STEPS);
	tcase_add_test(te, exec_short_message);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, te);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
