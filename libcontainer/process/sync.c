/* sync.c - encoding and decoding of the parent/child messages. */
#include "sync.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libcontainer/fdpass.h"

struct sync_wire {
	uint32_t type;
	uint32_t len;
	int64_t value;
};

int sync_socketpair(int fds[2], struct berth_error *err)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return berr_sys(err, errno, "socketpair");
	return 0;
}

const char *sync_type_name(enum sync_type t)
{
	static const char *const names[] = {
	    [SYNC_ERROR] = "error",	      [SYNC_MAPS_REQUEST] = "maps-request",
	    [SYNC_MAPS_DONE] = "maps-done",   [SYNC_HOOKS_REQUEST] = "hooks-request",
	    [SYNC_HOOKS_DONE] = "hooks-done", [SYNC_PTY_MASTER] = "pty-master",
	    [SYNC_SECCOMP_FD] = "seccomp-fd", [SYNC_SECCOMP_DONE] = "seccomp-done",
	    [SYNC_READY] = "ready",	      [SYNC_GO] = "go",
	};
	if ((size_t)t < sizeof(names) / sizeof(names[0]) && names[t])
		return names[t];
	return "unknown";
}

int sync_send(int sock, enum sync_type type, int64_t value, const void *payload, size_t len, int fd,
	      struct berth_error *err)
{
	struct sync_wire hdr = {.type = type, .len = (uint32_t)len, .value = value};
	struct iovec iov[2] = {{&hdr, sizeof(hdr)}, {(void *)payload, len}};

	if (len > SYNC_PAYLOAD_MAX)
		return berr_set(err, "sync: %s message too long (%zu bytes)", sync_type_name(type),
				len);
	if (fdpass_send(sock, iov, len ? 2 : 1, fd) < 0)
		return berr_sys(err, errno, "sync: send %s", sync_type_name(type));
	return 0;
}

/* EPROTO tells a broken message from a peer that is gone (see sync.h). */
static int malformed(struct berth_error *err)
{
	if (err)
		err->errnum = EPROTO;
	return -1;
}

static void drop_fd(struct sync_msg *msg)
{
	if (msg->fd >= 0)
		close(msg->fd);
	msg->fd = -1;
}

int sync_recv(int sock, struct sync_msg *msg, struct berth_error *err)
{
	struct sync_wire hdr;
	struct iovec iov[2] = {{&hdr, sizeof(hdr)}, {msg->payload, SYNC_PAYLOAD_MAX}};
	int flags = 0;
	ssize_t n = fdpass_recv(sock, iov, 2, &msg->fd, &flags);

	/* A peer that exits with our messages unread (a child failing before
	 * it read GO) makes the kernel report ECONNRESET once, ahead of what
	 * the peer sent last: read on, for its error message or the EOF. */
	if (n < 0 && errno == ECONNRESET)
		n = fdpass_recv(sock, iov, 2, &msg->fd, &flags);
	if (n < 0)
		return berr_sys(err, errno, "sync: receive");
	if (n == 0) {
		drop_fd(msg);
		return berr_set(err, "sync: peer closed the connection");
	}
	/* Too short for a header: hdr holds only what arrived, so don't read it. */
	if ((size_t)n < sizeof(hdr)) {
		drop_fd(msg);
		berr_set(err, "sync: malformed message (%zd bytes, shorter than a header)", n);
		return malformed(err);
	}
	if ((flags & (MSG_TRUNC | MSG_CTRUNC)) || (size_t)n - sizeof(hdr) != hdr.len ||
	    hdr.len > SYNC_PAYLOAD_MAX) {
		drop_fd(msg);
		berr_set(err, "sync: malformed message (%zd bytes, header says %u)", n,
			 (unsigned)hdr.len);
		return malformed(err);
	}
	msg->type = hdr.type;
	msg->len = hdr.len;
	msg->value = hdr.value;
	msg->payload[hdr.len] = '\0';
	return 0;
}

int sync_expect(int sock, enum sync_type type, struct sync_msg *msg, struct berth_error *err)
{
	if (sync_recv(sock, msg, err) < 0)
		return -1;
	if (msg->type == SYNC_ERROR) {
		berr_set(err, "%s", msg->payload);
		err->errnum = (int)msg->value;
		return -1;
	}
	if (msg->type != (uint32_t)type) {
		if (msg->fd >= 0)
			close(msg->fd);
		return berr_set(err, "sync: expected %s, got %s", sync_type_name(type),
				sync_type_name((enum sync_type)msg->type));
	}
	return 0;
}

int sync_send_hook_states(int sock, const char *create_state, const char *start_state,
			  struct berth_error *err)
{
	size_t a = strlen(create_state) + 1, b = strlen(start_state);
	struct sync_wire hdr = {.type = SYNC_HOOKS_DONE, .len = (uint32_t)(a + b)};
	struct iovec iov[3] = {
	    {&hdr, sizeof(hdr)}, {(void *)create_state, a}, {(void *)start_state, b}};

	if (a + b > SYNC_PAYLOAD_MAX)
		return berr_set(err, "state document too large for hooks (%zu bytes)", a - 1);
	if (fdpass_send(sock, iov, 3, -1) < 0)
		return berr_sys(err, errno, "sync: send %s", sync_type_name(SYNC_HOOKS_DONE));
	return 0;
}

int sync_hook_states(const struct sync_msg *msg, const char **create_state,
		     const char **start_state, struct berth_error *err)
{
	size_t a = strnlen(msg->payload, msg->len);

	if (a == msg->len) {
		berr_set(err, "sync: %s carries one state document, not two",
			 sync_type_name(SYNC_HOOKS_DONE));
		return malformed(err);
	}
	*create_state = msg->payload;
	*start_state = msg->payload + a + 1; /* NUL-terminated at len by sync_recv */
	return 0;
}

void sync_send_error(int sock, const struct berth_error *e)
{
	size_t len = strnlen(e->msg, sizeof(e->msg));

	sync_send(sock, SYNC_ERROR, e->errnum, e->msg, len, -1, NULL);
}

int sync_send_go(int sock, struct berth_error *err)
{
	return sync_send(sock, SYNC_GO, 0, NULL, 0, -1, err);
}

int sync_send_maps_done(int sock, struct berth_error *err)
{
	return sync_send(sock, SYNC_MAPS_DONE, 0, NULL, 0, -1, err);
}

int sync_send_seccomp_done(int sock, struct berth_error *err)
{
	return sync_send(sock, SYNC_SECCOMP_DONE, 0, NULL, 0, -1, err);
}

/* sync_expect, letting one GO that comes first pass (see sync.h). */
static int expect_past_go(int sock, enum sync_type type, struct sync_msg *msg, bool *go_seen,
			  struct berth_error *err)
{
	for (;;) {
		msg->type = SYNC_ERROR; /* not GO, if the receive itself fails */
		if (sync_expect(sock, type, msg, err) == 0)
			return 0;
		if (!go_seen || *go_seen || msg->type != SYNC_GO)
			return -1;
		*go_seen = true;
	}
}

int sync_wait_go(int sock, struct berth_error *err)
{
	struct sync_msg msg;

	return sync_expect(sock, SYNC_GO, &msg, err);
}

int sync_wait_maps_done(int sock, bool *go_seen, struct berth_error *err)
{
	struct sync_msg msg;

	if (sync_send(sock, SYNC_MAPS_REQUEST, 0, NULL, 0, -1, err) < 0)
		return -1;
	return expect_past_go(sock, SYNC_MAPS_DONE, &msg, go_seen, err);
}

int sync_wait_hooks_done(int sock, bool *go_seen, struct sync_hook_states *out,
			 struct berth_error *err)
{
	if (sync_send(sock, SYNC_HOOKS_REQUEST, 0, NULL, 0, -1, err) < 0 ||
	    expect_past_go(sock, SYNC_HOOKS_DONE, &out->msg, go_seen, err) < 0)
		return -1;
	return sync_hook_states(&out->msg, &out->create_state, &out->start_state, err);
}

int sync_wait_seccomp_done(int sock, int notify_fd, struct berth_error *err)
{
	struct sync_msg msg;

	if (sync_send(sock, SYNC_SECCOMP_FD, 0, NULL, 0, notify_fd, err) < 0)
		return -1;
	return sync_expect(sock, SYNC_SECCOMP_DONE, &msg, err);
}

int sync_send_pty_master(int sock, int master, struct berth_error *err)
{
	return sync_send(sock, SYNC_PTY_MASTER, 0, NULL, 0, master, err);
}

int sync_send_ready(int sock, struct berth_error *err)
{
	return sync_send(sock, SYNC_READY, 0, NULL, 0, -1, err);
}

int sync_die_with_parent(int sock, struct berth_error *err)
{
	struct pollfd p = {.fd = sock, .events = POLLIN};

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return berr_sys(err, errno, "set parent-death signal");
	/* The peer's close (its death) shows as POLLHUP on a seqpacket pair. */
	while (poll(&p, 1, 0) < 0)
		if (errno != EINTR)
			return berr_sys(err, errno, "poll the parent's socket");
	if (p.revents & POLLHUP)
		return berr_set(err, "the parent is gone");
	return 0;
}
