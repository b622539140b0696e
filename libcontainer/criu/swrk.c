/* swrk.c - one request to `criu swrk 3`: start criu on one end of a
 * SOCK_SEQPACKET socketpair, send the request, answer its notifications,
 * read the result, reap criu.
 *
 * fd layout in the criu process: 0-2 the stdio given, 3 the RPC socket,
 * 4.. the inherited fds in request order; nothing else of berth's. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "criu.h"
#include "encode.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "rpc.pb-c.h"

#define CRIU_BIN       "criu"
#define CRIU_SOCK_FD   3
#define CRIU_FIRST_FD  4
#define CRIU_MSG_MAX   (10 * 4096)
#define CRIU_TEMP_BASE 1000

bool criu_built_in(void)
{
	return true;
}

/* In the child: put every fd at its number, then exec criu. Only
 * async-signal-safe calls; failures end in _exit(127). */
static void __attribute__((noreturn))
exec_criu(int sock, const int stdio[3], const struct criu_request *r)
{
	int tmp[3 + 1 + 64];
	size_t n = 0;
	int devnull = -1;

	if (r->n_inherit > 64)
		_exit(127);
	for (int i = 0; i < 3; i++) {
		int fd = stdio[i];
		if (fd < 0) {
			if (devnull < 0)
				devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
			fd = devnull;
		}
		tmp[n++] = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, CRIU_TEMP_BASE);
	}
	tmp[n++] = fcntl(sock, F_DUPFD_CLOEXEC, CRIU_TEMP_BASE);
	for (size_t i = 0; i < r->n_inherit; i++)
		tmp[n++] = fcntl(r->inherit[i].fd, F_DUPFD_CLOEXEC, CRIU_TEMP_BASE);
	for (size_t i = 0; i < n; i++)
		if (tmp[i] < 0 || dup2(tmp[i], (int)i) < 0)
			_exit(127);
	/* Everything above ours closes at exec: berth's own fds never reach criu. */
	for (int fd = (int)n; fd < CRIU_TEMP_BASE; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	const char *bin = r->criu_bin ? r->criu_bin : CRIU_BIN;
	execlp(bin, bin, "swrk", "3", (char *)NULL);
	_exit(127);
}

static int send_buf(int sock, const uint8_t *buf, size_t len, struct berth_error *err)
{
	ssize_t w;

	while ((w = send(sock, buf, len, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	if (w < 0)
		return berr_sys(err, errno, "send a request to criu");
	if ((size_t)w != len)
		return berr_set(err, "send a request to criu: short write");
	return 0;
}

/* One message and at most one passed fd. Returns NULL on EOF (criu died). */
static CriuResp *recv_resp(int sock, int *fd, struct berth_error *err)
{
	_cleanup_free_ uint8_t *buf = malloc(CRIU_MSG_MAX);
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {.iov_base = buf, .iov_len = CRIU_MSG_MAX};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	ssize_t n;

	*fd = -1;
	if (!buf) {
		berr_sys(err, ENOMEM, "criu response");
		return NULL;
	}
	while ((n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n < 0) {
		berr_sys(err, errno, "read the response of criu");
		return NULL;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	if (n == 0) {
		berr_set(err, "criu exited without answering");
		return NULL;
	}
	if (mh.msg_flags & MSG_TRUNC) {
		berr_set(err, "criu response larger than %d bytes", CRIU_MSG_MAX);
		return NULL;
	}
	CriuResp *resp = criu_resp__unpack(NULL, (size_t)n, buf);
	if (!resp)
		berr_set(err, "criu response: cannot decode %zd bytes", n);
	return resp;
}

static int answer_notify(int sock, bool ok, struct berth_error *err)
{
	_cleanup_free_ uint8_t *buf = NULL;
	size_t len;

	if (criu_encode_notify_ack(ok, &buf, &len, err) < 0)
		return -1;
	return send_buf(sock, buf, len, err);
}

static int fail_message(const struct criu_request *r, const CriuResp *resp, const char *log_path,
			struct berth_error *err)
{
	const char *why = resp->cr_errmsg && *resp->cr_errmsg ? resp->cr_errmsg : NULL;

	berr_set(err, "criu failed: type %s errno %d\nlog file: %s%s%s",
		 criu_action_name(r->action), resp->has_cr_errno ? resp->cr_errno : 0,
		 log_path ? log_path : "(none)", why ? "\ncriu: " : "", why ? why : "");
	err->errnum = resp->has_cr_errno ? resp->cr_errno : 0;
	return -1;
}

/* Read until the final response; notifications go to `notify`. */
static int exchange(int sock, const struct criu_request *r, criu_notify_fn notify, void *ctx,
		    const char *log_path, struct criu_result *out, struct berth_error *err)
{
	struct berth_error notify_err = {0};
	bool notify_failed = false;

	for (;;) {
		int fd;
		CriuResp *resp = recv_resp(sock, &fd, err);
		if (!resp) {
			if (fd >= 0)
				close(fd);
			return notify_failed ? (*err = notify_err, -1) : -1;
		}
		if (resp->type == CRIU_REQ_TYPE__NOTIFY) {
			const char *script =
			    resp->notify && resp->notify->script ? resp->notify->script : "";
			pid_t pid = resp->notify && resp->notify->has_pid ? resp->notify->pid : 0;
			log_debug("criu notify %s (pid %d)", script, (int)pid);
			bool ok = true;
			if (notify && !notify_failed &&
			    notify(ctx, script, pid, fd, &notify_err) < 0)
				ok = false, notify_failed = true;
			else if (!notify && fd >= 0)
				close(fd);
			criu_resp__free_unpacked(resp, NULL);
			if (answer_notify(sock, ok, err) < 0)
				return notify_failed ? (*err = notify_err, -1) : -1;
			continue;
		}
		if (fd >= 0)
			close(fd);
		int rc = 0;
		if (notify_failed) {
			*err = notify_err;
			rc = -1;
		} else if (!resp->success) {
			rc = fail_message(r, resp, log_path, err);
		} else if (r->action == CRIU_ACTION_RESTORE && out) {
			out->restored_pid = resp->restore ? resp->restore->pid : 0;
		}
		criu_resp__free_unpacked(resp, NULL);
		return rc;
	}
}

int criu_run(const struct criu_request *r, const int stdio[3], criu_spawned_fn spawned,
	     criu_notify_fn notify, void *ctx, const char *log_path, struct criu_result *out,
	     struct berth_error *err)
{
	struct criu_fd_layout fds = {
	    .images_dir = r->images_dir_fd,
	    .work_dir = r->work_dir_fd,
	    .status = r->status_fd,
	    .inherit_first = CRIU_FIRST_FD,
	};
	_cleanup_free_ uint8_t *buf = NULL;
	size_t len;
	int sv[2];
	int status, rc;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return berr_sys(err, errno, "socketpair for criu");
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(sv[0]);
		close(sv[1]);
		return berr_sys(err, e, "fork criu");
	}
	if (pid == 0)
		exec_criu(sv[1], stdio, r);
	close(sv[1]);
	/* Encoded only now: the callback may still complete the request. */
	rc = spawned ? spawned(ctx, pid, err) : 0;
	if (rc == 0)
		rc = criu_encode_request(r, &fds, &buf, &len, err);
	if (rc == 0)
		rc = send_buf(sv[0], buf, len, err);
	if (rc == 0)
		rc = exchange(sv[0], r, notify, ctx, log_path, out, err);
	/* After a pre-dump criu waits for the next one of a series; berth
	 * makes one per command (as runc does), so it is done with it. */
	bool stop = rc == 0 && r->action == CRIU_ACTION_PRE_DUMP;
	if (stop)
		kill(pid, SIGKILL);
	/* Closing our end ends swrk once the request is done (or aborts it). */
	close(sv[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return rc < 0 ? -1 : berr_sys(err, errno, "wait for criu");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return berr_set(err, "could not run %s swrk: is CRIU installed?",
				r->criu_bin ? r->criu_bin : CRIU_BIN);
	if (rc < 0)
		return -1;
	if (stop)
		return 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return berr_set(err, "criu swrk ended with status %d", status);
	return 0;
}

int criu_check(struct berth_error *err)
{
	struct criu_request r;
	int null_fds[3] = {-1, -1, -1};
	int rc;

	criu_request_init(&r, CRIU_ACTION_CHECK);
	rc = criu_run(&r, null_fds, NULL, NULL, NULL, NULL, NULL, err);
	criu_request_free(&r);
	return rc;
}
