/* test_fdpass.c - one fd with data over a unix socket: it arrives
 * close-on-exec, none means -1, extra fds a peer sends are closed rather
 * than kept, truncation is reported. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libcontainer/fdpass.h"
#include "unit_run.h"

/* A pipe's read end sees EOF only once every copy of the write end is gone. */
static bool writer_gone(int rd)
{
	char c;

	return read(rd, &c, 1) == 0;
}

START_TEST(data_and_fd)
{
	int sv[2], p[2], fd = -2, flags = -1;
	char buf[16] = "";
	struct iovec out = {"hello", 5}, in = {buf, sizeof(buf) - 1};

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fdpass_send(sv[0], &out, 1, p[1]), 5);
	ck_assert_int_eq(fdpass_recv(sv[1], &in, 1, &fd, &flags), 5);
	ck_assert_str_eq(buf, "hello");
	ck_assert_int_eq(flags & (MSG_TRUNC | MSG_CTRUNC), 0);
	ck_assert_int_ge(fd, 0);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ck_assert_int_eq(write(fd, "x", 1), 1);
	ck_assert_int_eq(read(p[0], buf, 1), 1);
	ck_assert_int_eq(buf[0], 'x');
	close(fd);
	close(p[1]);
	ck_assert(writer_gone(p[0]));
	close(p[0]);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(no_fd_truncation_and_eof)
{
	int sv[2], fd = -2, flags = 0;
	char buf[4];
	struct iovec out = {"toolong", 7}, in = {buf, sizeof(buf)};

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(fdpass_send(sv[0], &out, 1, -1), 7);
	ck_assert_int_eq(fdpass_recv(sv[1], &in, 1, &fd, &flags), 4);
	ck_assert_int_eq(fd, -1);
	ck_assert(flags & MSG_TRUNC);
	close(sv[0]);
	ck_assert_int_eq(fdpass_recv(sv[1], &in, 1, &fd, NULL), 0);
	ck_assert_int_eq(fd, -1);
	close(sv[1]);
}
END_TEST

/* A peer that attaches two fds: the first is ours, the second is closed. */
START_TEST(extra_fds_closed)
{
	int sv[2], p[2], q[2], fd = -1;
	char c = 'm';
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} ctl = {0};
	struct iovec iov = {&c, 1};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl.buf,
			    .msg_controllen = sizeof(ctl.buf)};
	struct cmsghdr *h = CMSG_FIRSTHDR(&mh);

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pipe(q), 0);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(h), &p[1], sizeof(int));
	memcpy(CMSG_DATA(h) + sizeof(int), &q[1], sizeof(int));
	ck_assert_int_eq(sendmsg(sv[0], &mh, 0), 1);
	close(p[1]);
	close(q[1]);
	ck_assert_int_eq(fdpass_recv(sv[1], &iov, 1, &fd, NULL), 1);
	ck_assert_int_ge(fd, 0);
	ck_assert(writer_gone(q[0])); /* the extra one was closed */
	close(fd);
	ck_assert(writer_gone(p[0]));
	close(p[0]);
	close(q[0]);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(stream_socket)
{
	int sv[2], p[2], fd = -1;
	char buf[8] = "";
	struct iovec out = {"ptmx", 4}, in = {buf, sizeof(buf) - 1};

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fdpass_send(sv[0], &out, 1, p[0]), 4);
	ck_assert_int_eq(fdpass_recv(sv[1], &in, 1, &fd, NULL), 4);
	ck_assert_str_eq(buf, "ptmx");
	ck_assert_int_ge(fd, 0);
	close(fd);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	/* the send side reports a closed peer as EPIPE, without a SIGPIPE */
	close(sv[1]);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	close(sv[1]);
	ck_assert_int_eq(fdpass_send(sv[0], &out, 1, -1), -1);
	ck_assert_int_eq(errno, EPIPE);
	close(sv[0]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fdpass");
	TCase *tc = tcase_create("fdpass");

	tcase_add_test(tc, data_and_fd);
	tcase_add_test(tc, no_fd_truncation_and_eof);
	tcase_add_test(tc, extra_fds_closed);
	tcase_add_test(tc, stream_socket);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
