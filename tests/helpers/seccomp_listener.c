/* seccomp_listener.c - a minimal seccomp agent for tests: receives the
 * container process state and the notify fd on a unix socket (as
 * linux.seccomp.listenerPath describes), then answers every notification
 * with a fixed return value or errno.
 *
 * usage: seccomp_listener [-d] [-o STATE_FILE] [-l LOG_FILE] [-r VALUE | -e ERRNO] SOCKET
 *   -d  fork into the background once SOCKET listens (the foreground
 *       process exits 0 then, so a caller knows it is ready)
 *   -o  write the received state document to STATE_FILE
 *   -l  append "syscall=<nr> pid=<pid>" per notification to LOG_FILE
 *   -r  answer with return value VALUE (default 0)
 *   -e  answer with -1/ERRNO instead
 * Serves one connection and exits 0 when the filter's last user is gone;
 * SIGALRM ends it after 60 s without a connection or 300 s of serving, so
 * it never outlives a test. Test-only: never run it against a real
 * workload. */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define STATE_MAX (1 << 20)

static void die(const char *what)
{
	fprintf(stderr, "seccomp_listener: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int listen_on(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "seccomp_listener: socket path too long\n");
		exit(1);
	}
	strcpy(a.sun_path, path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("socket");
	unlink(path);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	if (listen(s, 1) < 0)
		die("listen");
	return s;
}

/* Read the whole document (until EOF); the fd arrives with the first byte. */
static int receive(int conn, char *buf, size_t cap, size_t *len)
{
	int fd = -1;
	*len = 0;
	for (;;) {
		union {
			struct cmsghdr align;
			char b[CMSG_SPACE(sizeof(int))];
		} u;
		struct iovec iov = {buf + *len, cap - 1 - *len};
		struct msghdr m = {.msg_iov = &iov,
				   .msg_iovlen = 1,
				   .msg_control = u.b,
				   .msg_controllen = sizeof(u.b)};
		ssize_t n = recvmsg(conn, &m, MSG_CMSG_CLOEXEC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("recvmsg");
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
				memcpy(&fd, CMSG_DATA(c), sizeof(int));
		if (n == 0 || *len + (size_t)n >= cap - 1)
			break;
		*len += (size_t)n;
	}
	buf[*len] = '\0';
	return fd;
}

static void serve(int nfd, long value, int err, const char *log_path)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	for (;;) {
		struct pollfd p = {.fd = nfd, .events = POLLIN};
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (!(p.revents & POLLIN))
			return; /* POLLHUP: no task uses the filter any more */
		memset(&req, 0, sizeof(req));
		if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			die("SECCOMP_IOCTL_NOTIF_RECV");
		}
		if (log_path) {
			FILE *f = fopen(log_path, "a");
			if (f) {
				fprintf(f, "syscall=%d pid=%u\n", req.data.nr, req.pid);
				fclose(f);
			}
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.val = err ? -1 : value;
		resp.error = err ? -err : 0;
		/* ENOENT: the caller died or was interrupted meanwhile. */
		if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
			die("SECCOMP_IOCTL_NOTIF_SEND");
	}
}

int main(int argc, char **argv)
{
	const char *state_path = NULL, *log_path = NULL;
	long value = 0;
	int err = 0, opt;
	int daemonize = 0;
	while ((opt = getopt(argc, argv, "do:l:r:e:")) != -1) {
		switch (opt) {
		case 'd':
			daemonize = 1;
			break;
		case 'o':
			state_path = optarg;
			break;
		case 'l':
			log_path = optarg;
			break;
		case 'r':
			value = strtol(optarg, NULL, 0);
			break;
		case 'e':
			err = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: seccomp_listener [-d] [-o STATE] [-l LOG] "
					"[-r VALUE | -e ERRNO] SOCKET\n");
			return 1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "seccomp_listener: need exactly one SOCKET\n");
		return 1;
	}
	int s = listen_on(argv[optind]);
	if (daemonize) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid > 0)
			_exit(0);
		setsid();
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			close(null);
		}
	}
	alarm(60);
	int conn = accept4(s, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		die("accept");
	char *buf = malloc(STATE_MAX);
	if (!buf)
		die("malloc");
	size_t len;
	int nfd = receive(conn, buf, STATE_MAX, &len);
	close(conn);
	close(s);
	unlink(argv[optind]);
	if (nfd < 0) {
		fprintf(stderr, "seccomp_listener: no fd received\n");
		return 1;
	}
	if (state_path) {
		FILE *f = fopen(state_path, "w");
		if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
			die("write state");
	}
	free(buf);
	alarm(300); /* a test never needs longer; never outlive it */
	serve(nfd, value, err, log_path);
	return 0;
}
