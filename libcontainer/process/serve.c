/* serve.c - the parent's serve loop and the handlers create and exec share. */
#include "serve.h"

#include <errno.h>
#include <unistd.h>

#include "console.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/seccomp/seccomp_filter.h"
#include "userns.h"

static const struct serve_handler *handler_for(const struct serve *s, uint32_t type)
{
	for (size_t i = 0; i < s->n_handlers; i++)
		if ((uint32_t)s->handlers[i].type == type)
			return &s->handlers[i];
	return NULL;
}

static void drop_fd(struct sync_msg *msg)
{
	if (msg->fd >= 0)
		close(msg->fd);
	msg->fd = -1;
}

int serve_child(const struct serve *s, struct berth_error *err)
{
	struct sync_msg msg;
	struct berth_error rerr;

	for (;;) {
		if (sync_recv(s->child->sock, &msg, &rerr) < 0) {
			/* A broken message is never taken for the close of an execve;
			 * a death shows in the exit status the caller waits for. */
			if (s->done_at_close && rerr.errnum != EPROTO)
				return 0;
			*err = rerr;
			return berr_prefix(err, "%s", s->peer);
		}
		if (msg.type == SYNC_ERROR) {
			drop_fd(&msg);
			berr_set(err, "%s", msg.payload);
			err->errnum = (int)msg.value;
			return -1;
		}
		const struct serve_handler *h = handler_for(s, msg.type);
		if (!h) {
			drop_fd(&msg);
			return berr_set(err, "%s: unexpected message %s", s->peer,
					sync_type_name((enum sync_type)msg.type));
		}
		if (h->fd_name && msg.fd < 0)
			return berr_set(err, "%s sent no %s", s->peer, h->fd_name);
		if (!h->fd_name)
			drop_fd(&msg);
		int rc = h->fn(s, &msg, err);
		if (rc < 0)
			return -1;
		if (rc == SERVE_DONE)
			return 0;
	}
}

int serve_pty_master(const struct serve *s, struct sync_msg *msg, struct berth_error *err)
{
	struct spawned *c = s->child;

	if (c->console_sock < 0) {
		c->pty_master = msg->fd;
		return 0;
	}
	int rc = console_send_fd(c->console_sock, msg->fd, err);
	close(msg->fd);
	return rc < 0 ? -1 : 0;
}

int serve_seccomp_fd(const struct serve *s, struct sync_msg *msg, struct berth_error *err)
{
	const struct berth_seccomp *sc = &s->spec->linux_.seccomp;
	struct spawned *c = s->child;
	_cleanup_free_ char *message = s->seccomp_message(s->arg, err);
	int rc;

	if (!message)
		rc = berr_prefix(err, "seccomp listener");
	else if (c->notify_sock >= 0)
		rc = seccomp_notify_send(c->notify_sock, sc, msg->fd, message, err);
	else
		rc = seccomp_notify_forward(sc, msg->fd, message, err);
	if (c->notify_sock >= 0) {
		close(c->notify_sock); /* the agent reads until EOF */
		c->notify_sock = -1;
	}
	close(msg->fd);
	if (rc < 0)
		return -1;
	return sync_send_seccomp_done(c->sock, err);
}

int serve_maps(const struct serve *s, struct sync_msg *msg, struct berth_error *err)
{
	(void)msg;
	if (userns_write_maps(s->child->pid, s->spec, s->child->procfd, err) < 0)
		return -1;
	return sync_send_maps_done(s->child->sock, err);
}

int serve_ready(const struct serve *s, struct sync_msg *msg, struct berth_error *err)
{
	(void)s;
	(void)msg;
	(void)err;
	return SERVE_DONE;
}
