/* test_sync_sequence_exec.c - the parent/child message SEQUENCE of exec:
 * libcontainer's serve loop with exec's handler table (serve) against a
 * fake exec'd process (sync_fake_child.h): the happy path (also with the
 * seccomp listener connected before the clone, as rootless), an error from
 * the child at each step, a child that dies at each step, a broken
 * message.
 *
 * exec's table is static in runtime/exec.c, so this file includes that
 * source and tests it exactly as it is built into berth. */
#include "runtime/exec.c"
#include "sync_fake_child.h"
#include "unit_run.h"

/* exec's serving against the fake exec'd process. */
static int serve_exec(struct fake *f, struct exec_ctx *x, pid_t *pid, struct berth_error *err)
{
	*x = (struct exec_ctx){.spec = &f->spec, .c = &f->c, .child = SPAWNED_INIT};
	*pid = fake_start(f, &x->child);
	return serve(x, err);
}

static void close_exec(struct exec_ctx *x)
{
	spawned_close(&x->child);
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
	ck_assert_int_ge(x.child.pty_master, 0);
	assert_listener_got_fd(&f);
	close_exec(&x);
	fake_fini(&f);
}
END_TEST

/* Rootless (or a nested user namespace): the listener was connected before
 * the clone, while berth still saw the host's paths; the fd goes there,
 * and the connection is closed after it (the agent reads until EOF). */
START_TEST(exec_listener_connected_before_clone)
{
	struct fake f;
	struct exec_ctx x;
	struct berth_error err = {0};

	fake_init(&f, true);
	x = (struct exec_ctx){.spec = &f.spec, .c = &f.c, .child = SPAWNED_INIT};
	x.child.notify_sock = seccomp_notify_connect(&f.spec.linux_.seccomp, &err);
	ck_assert_int_ge(x.child.notify_sock, 0);
	pid_t pid = fake_start(&f, &x.child);
	ck_assert_int_eq(serve(&x, &err), 0);
	ck_assert_int_eq(fake_exit_status(pid), 0);
	ck_assert_int_eq(x.child.notify_sock, -1);
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
	x = (struct exec_ctx){.spec = &f.spec, .c = &f.c, .child = SPAWNED_INIT};
	x.child.sock = sv[0];
	ck_assert_int_eq(serve(&x, &err), -1);
	ck_assert_str_eq(err.msg, "exec: sync: malformed message (2 bytes, shorter than a header)");
	ck_assert_int_eq(err.errnum, EPROTO);
	spawned_close(&x.child);
	fake_fini(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sync_sequence_exec");
	TCase *te = tcase_create("exec");

	tcase_add_test(te, exec_happy_path);
	tcase_add_test(te, exec_listener_connected_before_clone);
	tcase_add_loop_test(te, exec_error_at_each_step, STEP_GO, N_STEPS);
	tcase_add_loop_test(te, exec_child_dies_at_each_step, STEP_GO, N_STEPS);
	tcase_add_test(te, exec_short_message);
	suite_add_tcase(s, te);
	return unit_run(s);
}
