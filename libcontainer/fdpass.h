/* fdpass.h - one file descriptor passed with data over a unix socket
 * (SCM_RIGHTS), for the sync protocol, the console socket and the seccomp
 * listener alike.
 *
 * Thin wrappers of sendmsg/recvmsg that return as those do (-1 with errno)
 * so that each caller words its own error; EINTR is retried. */
#ifndef BERTH_FDPASS_H
#define BERTH_FDPASS_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

/* Send iov with fd attached (fd < 0: none), never raising SIGPIPE. */
ssize_t fdpass_send(int sock, const struct iovec *iov, size_t n_iov, int fd);
/* Receive into iov. *fd is the fd that came along (close-on-exec) or -1;
 * any more that came are closed, never leaked. *flags, when not NULL, gets
 * the message flags (MSG_TRUNC, MSG_CTRUNC). */
ssize_t fdpass_recv(int sock, struct iovec *iov, size_t n_iov, int *fd, int *flags);

#endif
