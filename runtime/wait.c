/* wait.c - the foreground side of `run` and `exec`: forward signals to the
 * child, proxy its pty, reap it and turn its end into an exit status. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "lifecycle.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/process/process.h"

static int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

static int copy(int from, int to)
{
	char buf[8192];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(to, buf + off, (size_t)(n - off));
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		off += w;
	}
	return 0;
}

int runtime_wait_child(pid_t pid, int pidfd, int pty, struct berth_error *err)
{
	sigset_t all;
	int status = 0;
	bool stdin_open = pty >= 0;
	struct termios saved;
	bool raw = false;

	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGFPE);
	_cleanup_close_ int sfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		return berr_sys(err, errno, "signalfd");
	/* The pty was made at the right size (console_size_from_caller): a
	 * resize here would undo consoleSize. Later SIGWINCHs do resize. */
	if (pty >= 0)
		raw = console_raw(&saved);
	for (;;) {
		struct pollfd fds[4] = {{sfd, POLLIN, 0},
					{pidfd, POLLIN, 0},
					{pty, POLLIN, 0},
					{stdin_open ? STDIN_FILENO : -1, POLLIN, 0}};
		if (poll(fds, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[2].revents & POLLIN) {
			if (copy(pty, STDOUT_FILENO) < 0)
				pty = -1;
			continue; /* drain output before noticing the exit */
		}
		if (fds[3].revents & (POLLIN | POLLHUP)) {
			if (copy(STDIN_FILENO, pty) < 0)
				stdin_open = false;
		}
		if (fds[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGCHLD)
					continue;
				if (si.ssi_signo == SIGWINCH && pty >= 0) {
					console_copy_winsize(STDIN_FILENO, pty);
					continue;
				}
				pidfd_signal(pidfd, (int)si.ssi_signo, NULL);
			}
		}
		if (fds[1].revents & POLLIN)
			break;
	}
	if (pty >= 0) {
		/* the child is gone: take what it wrote last */
		char buf[8192];
		ssize_t n;
		fcntl(pty, F_SETFL, O_NONBLOCK);
		while ((n = read(pty, buf, sizeof(buf))) > 0)
			if (write(STDOUT_FILENO, buf, (size_t)n) != n)
				break;
	}
	if (raw)
		console_restore(&saved);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return berr_sys(err, errno, "wait for pid %d", (int)pid);
	}
	return status_code(status);
}
