/* seccomp_notify.c - hand a seccomp notify fd to linux.seccomp.listenerPath.
 *
 * The spec's "container process state" document (written by the caller:
 * runtime/seccomp_agent.c) goes over a unix stream socket with the fd
 * attached (SCM_RIGHTS) to its first byte; berth then
 * closes the connection, so the agent reads until EOF. Never keeps the
 * connection or the fd: the agent owns the listener from here on. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/fdpass.h"
#include "seccomp_filter.h"

static int send_with_fd(int sock, const char *data, size_t len, int fd, struct berth_error *err)
{
	struct iovec iov = {(void *)data, len};
	ssize_t n = fdpass_send(sock, &iov, 1, fd);
	if (n < 0)
		return berr_sys(err, errno, "sendmsg");
	/* A stream socket may take less; the fd went with the first byte. */
	for (size_t off = (size_t)n; off < len; off += (size_t)n) {
		n = send(sock, data + off, len - off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			return berr_sys(err, errno, "send");
		}
	}
	return 0;
}

int seccomp_notify_connect(const struct berth_seccomp *s, struct berth_error *err)
{
	if (!s->listener_path || !*s->listener_path)
		return berr_set(err, "linux.seccomp.listenerPath: required with SCMP_ACT_NOTIFY");
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(s->listener_path) >= sizeof(addr.sun_path))
		return berr_set(err, "linux.seccomp.listenerPath: %s: longer than %zu bytes",
				s->listener_path, sizeof(addr.sun_path) - 1);
	strcpy(addr.sun_path, s->listener_path);

	_cleanup_close_ int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return berr_sys(err, errno, "seccomp listener: socket");
	if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return berr_sys(err, errno, "seccomp listener: connect %s", s->listener_path);
	return steal_fd(&sock);
}

int seccomp_notify_send(int sock, const struct berth_seccomp *s, int notify_fd, const char *message,
			struct berth_error *err)
{
	if (send_with_fd(sock, message, strlen(message), notify_fd, err) < 0)
		return berr_prefix(err, "seccomp listener %s", s->listener_path);
	return 0;
}

int seccomp_notify_forward(const struct berth_seccomp *s, int notify_fd, const char *message,
			   struct berth_error *err)
{
	_cleanup_close_ int sock = seccomp_notify_connect(s, err);

	if (sock < 0)
		return -1;
	return seccomp_notify_send(sock, s, notify_fd, message, err);
}
