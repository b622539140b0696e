/* recvtty.c - a --console-socket receiver for the integration tests.
 *
 *   recvtty [-o FILE] [-i TEXT] [-n NAMEFILE] SOCKET
 *
 * Listens on the AF_UNIX socket SOCKET (made atomically: bound under a
 * temporary name, then renamed, so a test that waits for SOCKET to exist
 * never connects before listen()), accepts ONE connection, receives the pty
 * master as SCM_RIGHTS (the payload, the pty's name, goes to NAMEFILE), checks
 * that it is a terminal, writes TEXT to it when given, then copies everything
 * the container writes to its terminal to FILE (default stdout) until the
 * last slave is closed (EIO) or EOF.
 *
 * It never outlives a stuck test: an alarm ends it after 60 seconds. It is a
 * test helper only and is never installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define RECVTTY_TIMEOUT_S 60

static void usage(void)
{
	fprintf(stderr, "usage: recvtty [-o FILE] [-i TEXT] [-n NAMEFILE] SOCKET\n");
	exit(2);
}

static int listen_at(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	char tmp[sizeof(addr.sun_path)];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		fprintf(stderr, "recvtty: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(addr.sun_path, tmp);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("recvtty: socket");
		return -1;
	}
	unlink(tmp);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0 ||
	    rename(tmp, path) < 0) {
		fprintf(stderr, "recvtty: listen on %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* One message: the pty name as data, the master as SCM_RIGHTS. */
static int receive_master(int conn, char *name, size_t name_len)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = name, .iov_len = name_len - 1};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c;
	ssize_t n;
	int fd;

	n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
	if (n < 0) {
		perror("recvtty: recvmsg");
		return -1;
	}
	name[n] = '\0';
	c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int))) {
		fprintf(stderr, "recvtty: message carried no fd (payload \"%s\")\n", name);
		return -1;
	}
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (!isatty(fd)) {
		fprintf(stderr, "recvtty: received fd %d is not a terminal\n", fd);
		close(fd);
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Until every slave is closed: read() then fails with EIO. */
static int copy_out(int master, int out)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(master, buf, sizeof(buf));
		if (n == 0 || (n < 0 && errno == EIO))
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("recvtty: read pty");
			return -1;
		}
		if (write_all(out, buf, (size_t)n) < 0) {
			perror("recvtty: write");
			return -1;
		}
	}
}

int main(int argc, char **argv)
{
	const char *out_path = NULL, *input = NULL, *name_path = NULL;
	char name[256];
	int opt, lfd, conn, master, out = STDOUT_FILENO;

	while ((opt = getopt(argc, argv, "o:i:n:")) != -1) {
		switch (opt) {
		case 'o':
			out_path = optarg;
			break;
		case 'i':
			input = optarg;
			break;
		case 'n':
			name_path = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	alarm(RECVTTY_TIMEOUT_S);

	if (out_path) {
		out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out < 0) {
			fprintf(stderr, "recvtty: open %s: %s\n", out_path, strerror(errno));
			return 1;
		}
	}
	lfd = listen_at(argv[optind]);
	if (lfd < 0)
		return 1;
	conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0) {
		perror("recvtty: accept");
		return 1;
	}
	close(lfd);
	master = receive_master(conn, name, sizeof(name));
	close(conn);
	if (master < 0)
		return 1;
	if (name_path) {
		FILE *f = fopen(name_path, "we");
		if (!f || fprintf(f, "%s\n", name) < 0 || fclose(f) != 0) {
			fprintf(stderr, "recvtty: write %s: %s\n", name_path, strerror(errno));
			return 1;
		}
	}
	if (input && write_all(master, input, strlen(input)) < 0) {
		perror("recvtty: write pty");
		return 1;
	}
	return copy_out(master, out) < 0 ? 1 : 0;
}
