/* test_sync.c - the parent/child protocol: round trips, fd passing, and
 * malformed messages rejected (the class of CVE-2021-43784). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libcontainer/process/sync.h"
#include "unit_run.h"

START_TEST(round_trip)
{
	int sv[2];
	struct berth_error err = {0};
	struct sync_msg msg;

	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	ck_assert_int_eq(sync_send(sv[0], SYNC_READY, 42, "hello", 5, -1, &err), 0);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_READY, &msg, &err), 0);
	ck_assert_int_eq(msg.value, 42);
	ck_assert_str_eq(msg.payload, "hello");
	ck_assert_int_eq(msg.fd, -1);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(passes_fd)
{
	int sv[2], p[2];
	struct berth_error err = {0};
	struct sync_msg msg;
	char c = 0;

	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(sync_send(sv[0], SYNC_PTY_MASTER, 0, NULL, 0, p[1], &err), 0);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_PTY_MASTER, &msg, &err), 0);
	ck_assert_int_ge(msg.fd, 0);
	ck_assert_int_eq(write(msg.fd, "x", 1), 1);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(c, 'x');
	ck_assert(fcntl(msg.fd, F_GETFD) & FD_CLOEXEC);
	close(msg.fd);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(error_from_peer)
{
	int sv[2];
	struct berth_error err = {0}, sent = {0};
	struct sync_msg msg;

	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	berr_sys(&sent, 2, "pivot_root");
	sync_send_error(sv[0], &sent);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_READY, &msg, &err), -1);
	ck_assert_str_eq(err.msg, "pivot_root: no such file or directory");
	ck_assert_int_eq(err.errnum, 2);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* A header that claims more (or less) payload than arrived is refused. */
START_TEST(malformed_length)
{
	int sv[2];
	struct berth_error err = {0};
	struct sync_msg msg;
	struct {
		uint32_t type, len;
		int64_t value;
		char payload[8];
	} forged = {SYNC_READY, 4000, 0, "abc"};

	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	ck_assert_int_eq(send(sv[0], &forged, sizeof(forged), 0), (ssize_t)sizeof(forged));
	ck_assert_int_eq(sync_recv(sv[1], &msg, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "malformed"));
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* Too short for a header: refused, and the error names no header length,
 * since no header arrived to read one from (valgrind saw that read). */
START_TEST(shorter_than_header)
{
	int sv[2];
	struct berth_error err = {0};
	struct sync_msg msg;

	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	ck_assert_int_eq(send(sv[0], "ab", 2, 0), 2);
	ck_assert_int_eq(sync_recv(sv[1], &msg, &err), -1);
	ck_assert_str_eq(err.msg, "sync: malformed message (2 bytes, shorter than a header)");
	ck_assert_int_eq(msg.fd, -1);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* A child that fails before reading GO and exits: its error, queued for
 * us, must still come through (the kernel reports ECONNRESET first). */
START_TEST(last_words_of_a_peer_that_left_unread)
{
	int sv[2];
	struct berth_error err = {0}, sent = {0};
	struct sync_msg msg;

	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	ck_assert_int_eq(sync_send(sv[0], SYNC_GO, 0, NULL, 0, -1, &err), 0);
	berr_sys(&sent, 2, "mount /proc");
	sync_send_error(sv[1], &sent);
	close(sv[1]); /* GO unread */
	ck_assert_int_eq(sync_expect(sv[0], SYNC_READY, &msg, &err), -1);
	ck_assert_str_eq(err.msg, "mount /proc: no such file or directory");
	ck_assert_int_eq(sync_recv(sv[0], &msg, &err), -1);
	ck_assert_str_eq(err.msg, "sync: peer closed the connection");
	close(sv[0]);
}
END_TEST

/* Two fds on one message: the first is the message's, the second is closed,
 * not leaked into the parent (a hostile init could fill its table). */
START_TEST(extra_fd_not_leaked)
{
	int sv[2], p[2], q[2];
	struct berth_error err = {0};
	struct sync_msg msg;
	struct {
		uint32_t type, len;
		int64_t value;
	} hdr = {SYNC_PTY_MASTER, 0, 0};
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} ctl = {0};
	struct iovec iov = {&hdr, sizeof(hdr)};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl.buf,
			    .msg_controllen = sizeof(ctl.buf)};
	struct cmsghdr *h = CMSG_FIRSTHDR(&mh);
	char c;

	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pipe(q), 0);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(h), &p[1], sizeof(int));
	memcpy(CMSG_DATA(h) + sizeof(int), &q[1], sizeof(int));
	ck_assert_int_eq(sendmsg(sv[0], &mh, 0), (ssize_t)sizeof(hdr));
	close(p[1]);
	close(q[1]);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_PTY_MASTER, &msg, &err), 0);
	ck_assert_int_ge(msg.fd, 0);
	ck_assert_int_eq(read(q[0], &c, 1), 0); /* no writer of q left */
	close(msg.fd);
	ck_assert_int_eq(read(p[0], &c, 1), 0);
	close(p[0]);
	close(q[0]);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(named_waits)
{
	int sv[2], p[2];
	struct berth_error err = {0};
	struct sync_msg msg;

	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(sync_send(sv[0], SYNC_GO, 0, NULL, 0, -1, &err), 0);
	ck_assert_int_eq(sync_wait_go(sv[1], &err), 0);
	/* the answer is queued first: the wait sends the fd, then reads it */
	ck_assert_int_eq(sync_send(sv[0], SYNC_SECCOMP_DONE, 0, NULL, 0, -1, &err), 0);
	ck_assert_int_eq(sync_wait_seccomp_done(sv[1], p[0], &err), 0);
	ck_assert_int_eq(sync_expect(sv[0], SYNC_SECCOMP_FD, &msg, &err), 0);
	ck_assert_int_ge(msg.fd, 0);
	close(msg.fd);
	/* an error from the parent ends a wait with the parent's text */
	berr_set(&err, "cgroup: no room");
	sync_send_error(sv[0], &err);
	ck_assert_int_eq(sync_wait_go(sv[1], &err), -1);
	ck_assert_str_eq(err.msg, "cgroup: no room");
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(wrong_type_and_eof)
{
	int sv[2];
	struct berth_error err = {0};
	struct sync_msg msg;

	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	ck_assert_int_eq(sync_send(sv[0], SYNC_GO, 0, NULL, 0, -1, &err), 0);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_READY, &msg, &err), -1);
	ck_assert_str_eq(err.msg, "sync: expected ready, got go");
	ck_assert_int_eq(sync_send(sv[0], SYNC_GO, 0, "x", SYNC_PAYLOAD_MAX + 1, -1, &err), -1);
	close(sv[0]);
	ck_assert_int_eq(sync_recv(sv[1], &msg, &err), -1);
	ck_assert_str_eq(err.msg, "sync: peer closed the connection");
	close(sv[1]);
}
END_TEST

/* SYNC_HOOKS_DONE carries two documents; one alone is refused, and two
 * that don't fit say so before anything is sent. */
START_TEST(hook_states)
{
	static char big[SYNC_PAYLOAD_MAX / 2 + 1];
	int sv[2];
	struct berth_error err = {0};
	struct sync_msg msg;
	const char *create = NULL, *start = NULL;

	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	ck_assert_int_eq(sync_send_hook_states(sv[0], "{\"a\":1}", "{\"b\":22}", &err), 0);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_HOOKS_DONE, &msg, &err), 0);
	ck_assert_int_eq(sync_hook_states(&msg, &create, &start, &err), 0);
	ck_assert_str_eq(create, "{\"a\":1}");
	ck_assert_str_eq(start, "{\"b\":22}");

	ck_assert_int_eq(sync_send_hook_states(sv[0], "", "", &err), 0);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_HOOKS_DONE, &msg, &err), 0);
	ck_assert_int_eq(sync_hook_states(&msg, &create, &start, &err), 0);
	ck_assert_str_eq(create, "");
	ck_assert_str_eq(start, "");

	ck_assert_int_eq(sync_send(sv[0], SYNC_HOOKS_DONE, 0, "{}", 2, -1, &err), 0);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_HOOKS_DONE, &msg, &err), 0);
	ck_assert_int_eq(sync_hook_states(&msg, &create, &start, &err), -1);
	ck_assert_int_eq(err.errnum, EPROTO);
	ck_assert_str_eq(err.msg, "sync: hooks-done carries one state document, not two");

	memset(big, 'x', sizeof(big) - 1);
	ck_assert_int_eq(sync_send_hook_states(sv[0], big, big, &err), -1);
	ck_assert_str_eq(err.msg, "state document too large for hooks (4096 bytes)");
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* A child whose parent died before it armed the parent-death signal must
 * notice: the parent's end of the socket is closed then. A message waiting
 * to be read is not a death. */
START_TEST(die_with_parent)
{
	int sv[2];
	struct berth_error err = {0};

	ck_assert_int_eq(sync_socketpair(sv, &err), 0);
	ck_assert_int_eq(sync_die_with_parent(sv[1], &err), 0);
	ck_assert_int_eq(sync_send(sv[0], SYNC_GO, 0, NULL, 0, -1, &err), 0);
	ck_assert_int_eq(sync_die_with_parent(sv[1], &err), 0);
	close(sv[0]);
	ck_assert_int_eq(sync_die_with_parent(sv[1], &err), -1);
	ck_assert_str_eq(err.msg, "the parent is gone");
	close(sv[1]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sync");
	TCase *tc = tcase_create("sync");

	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, passes_fd);
	tcase_add_test(tc, error_from_peer);
	tcase_add_test(tc, malformed_length);
	tcase_add_test(tc, shorter_than_header);
	tcase_add_test(tc, last_words_of_a_peer_that_left_unread);
	tcase_add_test(tc, extra_fd_not_leaked);
	tcase_add_test(tc, named_waits);
	tcase_add_test(tc, wrong_type_and_eof);
	tcase_add_test(tc, die_with_parent);
	tcase_add_test(tc, hook_states);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
