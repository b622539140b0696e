/* hooks.c - run OCI hooks: fork + execve, state on stdin, timeout, and
 * the end of stderr in the error (see hooks.h). */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* How much of a hook's stdout/stderr is kept: the end is what explains a
 * failure, and a chatty hook must not grow berth's memory. */
#define HOOK_TAIL_MAX 4096
/* How much of that tail goes into the one-line error message. */
#define HOOK_TAIL_IN_MSG 512
/* Poll interval when the kernel has no pidfd_open (< 5.3). */
#define HOOK_POLL_FALLBACK_MS 10

struct tail {
	char buf[HOOK_TAIL_MAX];
	size_t len;
};

static void tail_append(struct tail *t, const char *data, size_t n)
{
	if (n >= HOOK_TAIL_MAX) {
		memcpy(t->buf, data + n - HOOK_TAIL_MAX, HOOK_TAIL_MAX);
		t->len = HOOK_TAIL_MAX;
		return;
	}
	if (t->len + n > HOOK_TAIL_MAX) {
		size_t drop = t->len + n - HOOK_TAIL_MAX;
		memmove(t->buf, t->buf + drop, t->len - drop);
		t->len -= drop;
	}
	memcpy(t->buf + t->len, data, n);
	t->len += n;
}

/* The last HOOK_TAIL_IN_MSG bytes as one line: trailing whitespace cut,
 * newlines turned into spaces, so the error stays a single log line. */
static const char *tail_for_message(struct tail *t, char *out, size_t size)
{
	size_t len = t->len, start, o = 0;

	while (len > 0 && (t->buf[len - 1] == '\n' || t->buf[len - 1] == ' ' ||
			   t->buf[len - 1] == '\r' || t->buf[len - 1] == '\t'))
		len--;
	start = len > HOOK_TAIL_IN_MSG ? len - HOOK_TAIL_IN_MSG : 0;
	for (size_t i = start; i < len && o + 1 < size; i++)
		out[o++] = t->buf[i] == '\n' ? ' ' : t->buf[i];
	out[o] = '\0';
	return out;
}

/* A pipe owned by run_one: [0] read end, [1] write end, -1 when closed. */
static void close_pipe(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0) {
			close(p[i]);
			p[i] = -1;
		}
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* argv and envp for execve, built before fork (the child may only make
 * async-signal-safe calls). The strings stay owned by the hook. */
static char **build_vector(char **items, size_t n, const char *first_if_empty)
{
	size_t count = n ? n : (first_if_empty ? 1 : 0);
	char **v = calloc(count + 1, sizeof(char *));

	if (!v)
		return NULL;
	if (n)
		memcpy(v, items, n * sizeof(char *));
	else if (first_if_empty)
		v[0] = (char *)first_if_empty;
	return v;
}

/* ---- the child side: only async-signal-safe calls from here ---- */

static void mark_fds_cloexec_from(int lowfd, bool old_syscalls_only)
{
	struct rlimit rl;
	int max = 65536;

	if (!old_syscalls_only &&
	    syscall(SYS_close_range, (unsigned)lowfd, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)max)
		max = (int)rl.rlim_cur;
	for (int fd = lowfd; fd < max; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void __attribute__((noreturn))
child_exec(const char *path, char **argv, char **envp, int in_fd, int out_fd, int err_fd,
	   int report_fd, bool old_syscalls_only)
{
	sigset_t none;
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	int fds[3];
	int e;

	/* The hook starts with the usual signal state, whatever berth (or a
	 * container init calling this) blocked or ignored: execve keeps
	 * ignored signals ignored. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Its own process group, so a timeout can kill whatever the hook
	 * started along with it. */
	setpgid(0, 0);

	/* Move the three ends above stdio first, so dup2 can't overwrite one
	 * with another when berth itself ran with stdio closed. */
	fds[0] = fcntl(in_fd, F_DUPFD_CLOEXEC, 3);
	fds[1] = fcntl(out_fd, F_DUPFD_CLOEXEC, 3);
	fds[2] = fcntl(err_fd, F_DUPFD_CLOEXEC, 3);
	for (int i = 0; i < 3; i++)
		if (fds[i] < 0 || dup2(fds[i], i) < 0)
			goto fail;
	/* No fd of berth's (container sockets, the state dir, a console)
	 * reaches the hook. */
	mark_fds_cloexec_from(3, old_syscalls_only);
	execve(path, argv, envp);
fail:
	e = errno;
	if (write(report_fd, &e, sizeof(e)) < 0) {
		/* nothing left to tell anyone */
	}
	_exit(127);
}

/* ---- the parent side ---- */

struct hook_run {
	const struct berth_hook *hook;
	const char *kind;
	char *const *default_env; /* for a hook without "env"; NULL: none */
	/* Under the container's seccomp filter: no pidfd_open or close_range,
	 * which a profile that names newer syscalls may kill for. */
	bool in_container;
	const char *state;
	size_t state_len;
	size_t state_off;
	pid_t pid;
	int pidfd;
	int in[2], out[2], errp[2], report[2];
	struct tail out_tail, err_tail;
};

static void drain(int *fd, struct tail *t)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(*fd, buf, sizeof(buf));
		if (n > 0) {
			tail_append(t, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
			close(*fd);
			*fd = -1;
		}
		return;
	}
}

static void feed_stdin(struct hook_run *r)
{
	while (r->state_off < r->state_len) {
		ssize_t n = write(r->in[1], r->state + r->state_off, r->state_len - r->state_off);
		if (n > 0) {
			r->state_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		break; /* EPIPE: the hook doesn't read its stdin, which is its right */
	}
	close(r->in[1]); /* EOF tells the hook the document is complete */
	r->in[1] = -1;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static size_t vector_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static int spawn(struct hook_run *r, struct berth_error *err)
{
	const struct berth_hook *h = r->hook;
	_cleanup_free_ char **argv = build_vector(h->args, h->n_args, h->path);
	_cleanup_free_ char **envp =
	    h->has_env || !r->default_env
		? build_vector(h->env, h->n_env, NULL)
		: build_vector((char **)r->default_env, vector_len(r->default_env), NULL);

	if (!argv || !envp)
		return berr_sys(err, ENOMEM, "prepare arguments");
	if (pipe2(r->in, O_CLOEXEC) < 0 || pipe2(r->out, O_CLOEXEC) < 0 ||
	    pipe2(r->errp, O_CLOEXEC) < 0 || pipe2(r->report, O_CLOEXEC) < 0)
		return berr_sys(err, errno, "pipe");
	r->pid = fork();
	if (r->pid < 0)
		return berr_sys(err, errno, "fork");
	if (r->pid == 0)
		child_exec(h->path, argv, envp, r->in[0], r->out[1], r->errp[1], r->report[1],
			   r->in_container);
	/* Keep only our ends, so EOF on them means the hook (and whatever it
	 * left running with them) is done. */
	close(r->in[0]);
	r->in[0] = -1;
	close(r->out[1]);
	r->out[1] = -1;
	close(r->errp[1]);
	r->errp[1] = -1;
	close(r->report[1]);
	r->report[1] = -1;
	r->pidfd = r->in_container ? -1 : (int)syscall(SYS_pidfd_open, r->pid, 0);
	if (set_nonblock(r->in[1]) < 0 || set_nonblock(r->out[0]) < 0 ||
	    set_nonblock(r->errp[0]) < 0)
		return berr_sys(err, errno, "fcntl O_NONBLOCK");
	return 0;
}

/* Wait for the hook to exit, feeding stdin and collecting output, until
 * `deadline_ms` (-1: none). Returns 1 when it exited (status in *status),
 * 0 when the deadline passed first, -1 on error. */
static int supervise(struct hook_run *r, int64_t deadline_ms, int *status, struct berth_error *err)
{
	for (;;) {
		struct pollfd p[4];
		nfds_t n = 0;
		int timeout = -1;
		pid_t w;

		if (r->pidfd >= 0)
			p[n++] = (struct pollfd){.fd = r->pidfd, .events = POLLIN};
		if (r->in[1] >= 0)
			p[n++] = (struct pollfd){.fd = r->in[1], .events = POLLOUT};
		if (r->out[0] >= 0)
			p[n++] = (struct pollfd){.fd = r->out[0], .events = POLLIN};
		if (r->errp[0] >= 0)
			p[n++] = (struct pollfd){.fd = r->errp[0], .events = POLLIN};
		if (deadline_ms >= 0) {
			int64_t left = deadline_ms - now_ms();
			if (left <= 0)
				return 0;
			timeout = left > INT32_MAX ? INT32_MAX : (int)left;
		}
		if (r->pidfd < 0 && (timeout < 0 || timeout > HOOK_POLL_FALLBACK_MS))
			timeout = HOOK_POLL_FALLBACK_MS;
		if (poll(p, n, timeout) < 0 && errno != EINTR)
			return berr_sys(err, errno, "poll");
		if (r->in[1] >= 0)
			feed_stdin(r);
		if (r->out[0] >= 0)
			drain(&r->out[0], &r->out_tail);
		if (r->errp[0] >= 0)
			drain(&r->errp[0], &r->err_tail);
		w = waitpid(r->pid, status, WNOHANG);
		if (w < 0 && errno != EINTR)
			return berr_sys(err, errno, "waitpid");
		if (w == r->pid) {
			/* Collect what is already written; don't wait for EOF:
			 * a daemon the hook started may hold the pipes forever. */
			if (r->out[0] >= 0)
				drain(&r->out[0], &r->out_tail);
			if (r->errp[0] >= 0)
				drain(&r->errp[0], &r->err_tail);
			r->pid = 0;
			return 1;
		}
	}
}

static int exit_error(struct hook_run *r, int status, struct berth_error *err)
{
	const char *path = r->hook->path;
	char tail[HOOK_TAIL_IN_MSG + 1];
	int exec_errno = 0;

	if (read(r->report[0], &exec_errno, sizeof(exec_errno)) == (ssize_t)sizeof(exec_errno) &&
	    exec_errno != 0)
		return berr_sys(err, exec_errno, "%s hook %s: exec", r->kind, path);
	if (r->out_tail.len > 0)
		log_debug("%s hook %s: stdout: %s", r->kind, path,
			  tail_for_message(&r->out_tail, tail, sizeof(tail)));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	tail_for_message(&r->err_tail, tail, sizeof(tail));
	if (WIFSIGNALED(status))
		return berr_set(err, "%s hook %s: killed by signal %d (%s)%s%s", r->kind, path,
				WTERMSIG(status), strsignal(WTERMSIG(status)), tail[0] ? ": " : "",
				tail);
	return berr_set(err, "%s hook %s: exited with status %d%s%s", r->kind, path,
			WEXITSTATUS(status), tail[0] ? ": " : "", tail);
}

static void run_cleanup(struct hook_run *r)
{
	if (r->pid > 0) {
		/* Only reached on an internal error: don't leave the hook
		 * running or a zombie behind. */
		kill(r->pid, SIGKILL);
		while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (r->pidfd >= 0)
		close(r->pidfd);
	close_pipe(r->in);
	close_pipe(r->out);
	close_pipe(r->errp);
	close_pipe(r->report);
}

static int run_one(const struct berth_hook *h, const char *kind, const char *state,
		   char *const *default_env, struct berth_error *err)
{
	struct hook_run r = {
	    .hook = h,
	    .default_env = default_env,
	    .in_container = default_env != NULL,
	    .kind = kind,
	    .state = state ? state : "",
	    .state_len = state ? strlen(state) : 0,
	    .pidfd = -1,
	    .in = {-1, -1},
	    .out = {-1, -1},
	    .errp = {-1, -1},
	    .report = {-1, -1},
	};
	int64_t deadline = h->has_timeout ? now_ms() + (int64_t)h->timeout * 1000 : -1;
	int status = 0, rc;

	log_debug("running %s hook %s", kind, h->path);
	rc = spawn(&r, err);
	if (rc == 0)
		rc = supervise(&r, deadline, &status, err);
	if (rc == 0) {
		kill(-r.pid, SIGKILL); /* the hook's process group (see child_exec) */
		kill(r.pid, SIGKILL);
		while (waitpid(r.pid, NULL, 0) < 0 && errno == EINTR)
			;
		r.pid = 0;
		rc = berr_set(err, "%s hook %s: timed out after %d s", kind, h->path, h->timeout);
	} else if (rc == 1) {
		rc = exit_error(&r, status, err);
	} else {
		berr_prefix(err, "%s hook %s", kind, h->path);
	}
	run_cleanup(&r);
	return rc;
}

/* Writes to a hook's stdin must not kill berth when the hook exits without
 * reading it: block SIGPIPE for the run (EPIPE is handled) and consume one
 * we caused, leaving a SIGPIPE that was already pending alone. SIGCHLD
 * must not be ignored while hooks run (see below); both are restored. */
struct signal_guard {
	sigset_t old_mask;
	bool was_pending;
	struct sigaction old_chld;
};

static void signals_prepare(struct signal_guard *g)
{
	sigset_t pipe_set, pending;
	struct sigaction dfl = {.sa_handler = SIG_DFL};

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	g->was_pending = sigismember(&pending, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &g->old_mask);
	/* With SIGCHLD ignored the kernel reaps children itself and waitpid
	 * could never report the hook's exit status. */
	sigaction(SIGCHLD, NULL, &g->old_chld);
	if (g->old_chld.sa_handler == SIG_IGN)
		sigaction(SIGCHLD, &dfl, NULL);
}

static void signals_restore(struct signal_guard *g)
{
	sigset_t pipe_set, pending;
	struct timespec zero = {0, 0};

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	if (!g->was_pending && sigismember(&pending, SIGPIPE))
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
			;
	sigprocmask(SIG_SETMASK, &g->old_mask, NULL);
	if (g->old_chld.sa_handler == SIG_IGN)
		sigaction(SIGCHLD, &g->old_chld, NULL);
}

int hooks_run(const struct berth_hook_list *l, const char *kind, const char *state_json,
	      struct berth_error *err)
{
	return hooks_run_env(l, kind, state_json, NULL, err);
}

int hooks_run_env(const struct berth_hook_list *l, const char *kind, const char *state_json,
		  char *const *default_env, struct berth_error *err)
{
	struct signal_guard guard;
	int rc = 0;

	if (!l || l->n == 0)
		return 0;
	signals_prepare(&guard);
	for (size_t i = 0; i < l->n && rc == 0; i++)
		rc = run_one(&l->hooks[i], kind, state_json, default_env, err);
	signals_restore(&guard);
	return rc;
}
