/* test_sync_sequence_create.c - the parent/child message SEQUENCE of
 * create, not only the codec: libcontainer's serve loop with create's
 * handler table (serve_init) against a fake init (sync_fake_child.h): the
 * happy path, an error from the child at each step, a child that dies at
 * each step, a message shorter than a header, one longer than the largest
 * payload, unexpected ones.
 *
 * create's table and its handlers (the id maps with their crash point, the
 * parent's hooks and the state document they hand on) are static in
 * runtime/create.c, so this file includes that source and tests them
 * exactly as they are built into berth (exec's: the _exec test; the loop's
 * dispatch alone: test_serve). */
#include "runtime/create.c"
#include "sync_fake_child.h"
#include "unit_run.h"

/* create's serving against the fake init; returns serve_init's result. */
static int serve_create(struct fake *f, struct create_ctx *x, pid_t *pid, struct berth_error *err)
{
	*x = (struct create_ctx){.spec = &f->spec, .start_fd = -1, .child = SPAWNED_INIT};
	x->c.id = "seq";
	x->c.dir_fd = -1;
	*pid = fake_start(f, &x->child);
	return serve_init(x, err);
}

static void close_create(struct create_ctx *x)
{
	spawned_close(&x->child);
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
	ck_assert_int_ge(x.child.pty_master, 0);
	ck_assert_int_eq(fstat(x.child.pty_master, &st), 0);
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
	x = (struct create_ctx){.spec = &f.spec, .child = SPAWNED_INIT};
	x.child.sock = sv[0];
	x.child.pid = pid;
	ck_assert_int_eq(fake_exit_status(pid), 0);
	ck_assert_int_eq(serve_init(&x, &err), -1);
	ck_assert_str_eq(err.msg, want);
	spawned_close(&x.child);
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

int main(void)
{
	Suite *s = suite_create("sync_sequence_create");
	TCase *tc = tcase_create("create");

	tcase_add_test(tc, create_happy_path);
	tcase_add_loop_test(tc, create_error_at_each_step, STEP_GO, N_STEPS);
	tcase_add_loop_test(tc, create_child_dies_at_each_step, STEP_GO, N_STEPS);
	tcase_add_test(tc, create_short_message);
	tcase_add_test(tc, create_oversized_message);
	tcase_add_test(tc, create_unexpected_messages);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
