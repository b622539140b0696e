/* test_serve.c - the parent's serve loop alone (libcontainer/process/
 * serve.h): each message goes to the handler its type names in the table,
 * in order; a type not in the table, a missing or a stray fd, a handler's
 * failure, the child's error and the socket's close each end it as
 * serve.h says. The child's messages are queued on a socketpair before the
 * loop runs; create's and exec's own tables against a fake child are the
 * test_sync_sequence_* tests. */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libcontainer/process/serve.h"
#include "unit_run.h"

/* What the test handlers saw, in order. */
struct seen {
	int types[8];
	int n;
	int fd; /* the fd the "pty" handler got */
};

static int count(const struct serve *s, struct sync_msg *msg, struct berth_error *err)
{
	struct seen *seen = s->arg;

	(void)err;
	seen->types[seen->n++] = (int)msg->type;
	return 0;
}

static int take_fd(const struct serve *s, struct sync_msg *msg, struct berth_error *err)
{
	struct seen *seen = s->arg;

	seen->fd = msg->fd;
	return count(s, msg, err);
}

static int refuse(const struct serve *s, struct sync_msg *msg, struct berth_error *err)
{
	(void)s;
	(void)msg;
	return berr_sys(err, EDOM, "handler for %u", (unsigned)msg->type);
}

static int done(const struct serve *s, struct sync_msg *msg, struct berth_error *err)
{
	count(s, msg, err);
	return SERVE_DONE;
}

static const struct serve_handler table[] = {
    {SYNC_MAPS_REQUEST, count, NULL},
    {SYNC_HOOKS_REQUEST, refuse, NULL},
    {SYNC_PTY_MASTER, take_fd, "pty"},
    {SYNC_SECCOMP_FD, count, NULL}, /* takes no fd: one sent along is closed */
    {SYNC_READY, done, NULL},
};

struct rig {
	int sv[2];
	struct spawned child;
	struct seen seen;
	struct serve s;
};

static void rig_init(struct rig *r, bool done_at_close)
{
	struct berth_error err = {0};

	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(sync_socketpair(r->sv, &err), 0);
	r->child = (struct spawned)SPAWNED_INIT;
	r->child.sock = r->sv[0];
	r->seen.fd = -1;
	r->s = (struct serve){.peer = "kid",
			      .done_at_close = done_at_close,
			      .handlers = table,
			      .n_handlers = sizeof(table) / sizeof(table[0]),
			      .child = &r->child,
			      .arg = &r->seen};
}

/* The child's side: queue a message (closing our copy of the fd). */
static void child_sends(struct rig *r, enum sync_type t, int fd)
{
	struct berth_error err = {0};

	ck_assert_int_eq(sync_send(r->sv[1], t, 7, NULL, 0, fd, &err), 0);
	if (fd >= 0)
		close(fd);
}

static void rig_fini(struct rig *r)
{
	if (r->seen.fd >= 0)
		close(r->seen.fd);
	if (r->sv[1] >= 0)
		close(r->sv[1]);
	close(r->sv[0]);
}

/* A pipe whose write end goes to the loop; true when every writer is gone. */
static bool writer_closed(int rd)
{
	char c;

	return read(rd, &c, 1) == 0;
}

START_TEST(dispatches_by_type_in_order_until_done)
{
	struct rig r;
	struct berth_error err = {0};
	int p[2];

	rig_init(&r, false);
	ck_assert_int_eq(pipe(p), 0);
	child_sends(&r, SYNC_MAPS_REQUEST, -1);
	child_sends(&r, SYNC_PTY_MASTER, p[1]);
	child_sends(&r, SYNC_MAPS_REQUEST, -1);
	child_sends(&r, SYNC_READY, -1);
	child_sends(&r, SYNC_MAPS_REQUEST, -1); /* after READY: not read */
	ck_assert_int_eq(serve_child(&r.s, &err), 0);
	ck_assert_int_eq(r.seen.n, 4);
	ck_assert_int_eq(r.seen.types[0], SYNC_MAPS_REQUEST);
	ck_assert_int_eq(r.seen.types[1], SYNC_PTY_MASTER);
	ck_assert_int_eq(r.seen.types[2], SYNC_MAPS_REQUEST);
	ck_assert_int_eq(r.seen.types[3], SYNC_READY);
	/* the pty handler owns the fd it got: the pipe's writer, the only one */
	char c = 0;
	ck_assert_int_ge(r.seen.fd, 0);
	ck_assert_int_eq(write(r.seen.fd, "x", 1), 1);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(c, 'x');
	close(r.seen.fd);
	r.seen.fd = -1;
	ck_assert(writer_closed(p[0]));
	close(p[0]);
	rig_fini(&r);
}
END_TEST

START_TEST(type_not_in_table_is_refused_and_its_fd_closed)
{
	struct rig r;
	struct berth_error err = {0};
	int p[2];

	rig_init(&r, false);
	ck_assert_int_eq(pipe(p), 0);
	child_sends(&r, SYNC_GO, p[1]);
	ck_assert_int_eq(serve_child(&r.s, &err), -1);
	ck_assert_str_eq(err.msg, "kid: unexpected message go");
	ck_assert_int_eq(r.seen.n, 0);
	ck_assert(writer_closed(p[0]));
	close(p[0]);
	rig_fini(&r);
}
END_TEST

START_TEST(missing_fd_is_refused)
{
	struct rig r;
	struct berth_error err = {0};

	rig_init(&r, false);
	child_sends(&r, SYNC_PTY_MASTER, -1);
	ck_assert_int_eq(serve_child(&r.s, &err), -1);
	ck_assert_str_eq(err.msg, "kid sent no pty");
	ck_assert_int_eq(r.seen.n, 0);
	rig_fini(&r);
}
END_TEST

START_TEST(stray_fd_is_closed)
{
	struct rig r;
	struct berth_error err = {0};
	int p[2];

	rig_init(&r, false);
	ck_assert_int_eq(pipe(p), 0);
	child_sends(&r, SYNC_SECCOMP_FD, p[1]);
	child_sends(&r, SYNC_READY, -1);
	ck_assert_int_eq(serve_child(&r.s, &err), 0);
	ck_assert_int_eq(r.seen.n, 2);
	ck_assert(writer_closed(p[0]));
	close(p[0]);
	rig_fini(&r);
}
END_TEST

START_TEST(handler_failure_ends_the_loop)
{
	struct rig r;
	struct berth_error err = {0};

	rig_init(&r, false);
	child_sends(&r, SYNC_HOOKS_REQUEST, -1);
	child_sends(&r, SYNC_READY, -1);
	ck_assert_int_eq(serve_child(&r.s, &err), -1);
	ck_assert_str_eq(err.msg, "handler for 4: numerical argument out of domain");
	ck_assert_int_eq(err.errnum, EDOM);
	ck_assert_int_eq(r.seen.n, 0);
	rig_fini(&r);
}
END_TEST

/* The child's error is its text and errno, whatever the table holds. */
START_TEST(child_error_becomes_the_error)
{
	struct rig r;
	struct berth_error err = {0}, e = {0};

	rig_init(&r, true);
	child_sends(&r, SYNC_MAPS_REQUEST, -1);
	berr_sys(&e, ENOSPC, "mount /x");
	sync_send_error(r.sv[1], &e);
	ck_assert_int_eq(serve_child(&r.s, &err), -1);
	ck_assert_str_eq(err.msg, e.msg);
	ck_assert_int_eq(err.errnum, ENOSPC);
	ck_assert_int_eq(r.seen.n, 1);
	rig_fini(&r);
}
END_TEST

/* exec's end: the socket closing (its execve) is success; for the init it
 * is a death, named with the peer. */
START_TEST(close_ends_the_loop_only_when_done_at_close)
{
	struct rig r;
	struct berth_error err = {0};

	rig_init(&r, true);
	child_sends(&r, SYNC_MAPS_REQUEST, -1);
	close(r.sv[1]);
	r.sv[1] = -1;
	ck_assert_int_eq(serve_child(&r.s, &err), 0);
	ck_assert_int_eq(r.seen.n, 1);
	rig_fini(&r);

	rig_init(&r, false);
	close(r.sv[1]);
	r.sv[1] = -1;
	ck_assert_int_eq(serve_child(&r.s, &err), -1);
	ck_assert_str_eq(err.msg, "kid: sync: peer closed the connection");
	rig_fini(&r);
}
END_TEST

/* A broken message is never taken for the close of an execve. */
START_TEST(broken_message_is_an_error_even_when_done_at_close)
{
	struct rig r;
	struct berth_error err = {0};

	rig_init(&r, true);
	ck_assert_int_eq(send(r.sv[1], "ab", 2, 0), 2);
	ck_assert_int_eq(serve_child(&r.s, &err), -1);
	ck_assert_str_eq(err.msg, "kid: sync: malformed message (2 bytes, shorter than a header)");
	ck_assert_int_eq(err.errnum, EPROTO);
	rig_fini(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("serve");
	TCase *tc = tcase_create("dispatch");

	tcase_add_test(tc, dispatches_by_type_in_order_until_done);
	tcase_add_test(tc, type_not_in_table_is_refused_and_its_fd_closed);
	tcase_add_test(tc, missing_fd_is_refused);
	tcase_add_test(tc, stray_fd_is_closed);
	tcase_add_test(tc, handler_failure_ends_the_loop);
	tcase_add_test(tc, child_error_becomes_the_error);
	tcase_add_test(tc, close_ends_the_loop_only_when_done_at_close);
	tcase_add_test(tc, broken_message_is_an_error_even_when_done_at_close);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
