/* console.c - pty creation inside the container and the console-socket
 * hand-over; the foreground proxy for `run -t`. */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/fdpass.h"
#include "libcontainer/log.h"

#define GROUP_FILE_MAX (1 << 20)

/* The gid of group "tty" in the container's /etc/group (we are inside its
 * root already), or -1. A regular file only, opened non-blocking: a FIFO
 * planted there must not hang the init. */
static long tty_gid(void)
{
	_cleanup_close_ int fd = open("/etc/group", O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char buf[4096], line[512];
	size_t len = 0, total = 0;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	while (total < GROUP_FILE_MAX && (n = read(fd, buf, sizeof(buf))) > 0) {
		total += (size_t)n;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (len < sizeof(line) - 1)
					line[len++] = buf[i];
				continue;
			}
			line[len] = '\0';
			len = 0;
			/* tty:x:5:members */
			char *gid = strncmp(line, "tty:", 4) == 0 ? strchr(line + 4, ':') : NULL;
			char *end;
			if (!gid)
				continue;
			long v = strtol(gid + 1, &end, 10);
			if (end != gid + 1 && (*end == ':' || *end == '\0') && v >= 0)
				return v;
		}
	}
	return -1;
}

/* As runc: the process's user owns its terminal (or it could not use it
 * after dropping root), in group tty where the container has one, else in
 * the process's group; mode 0620. A uid or gid the user namespace does not
 * map (EINVAL), an inode we may not change (EPERM) or a read-only /dev
 * (EROFS) leave it as it is rather than fail the container. */
static int own_peer(int slave, const struct berth_user *u, struct berth_error *err)
{
	long tty = tty_gid();
	gid_t gid = tty >= 0 ? (gid_t)tty : (gid_t)u->gid;

	if (fchown(slave, (uid_t)u->uid, gid) < 0 && errno != EINVAL && errno != EPERM &&
	    errno != EROFS)
		return berr_sys(err, errno, "chown the pty to %u:%u", u->uid, (unsigned)gid);
	if (fchmod(slave, 0620) < 0 && errno != EPERM && errno != EROFS)
		return berr_sys(err, errno, "chmod the pty to 0620");
	return 0;
}

int console_setup_child(const struct berth_process *p, int *slave_fd, struct berth_error *err)
{
	_cleanup_close_ int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	int unlock = 0;

	if (master < 0)
		return berr_sys(err, errno, "open /dev/ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return berr_sys(err, errno, "unlock pty");
	/* TIOCGPTPEER opens the peer through the master: no path to swap. */
	int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return berr_sys(err, errno, "open pty peer");
	if (own_peer(slave, &p->user, err) < 0) {
		close(slave);
		return -1;
	}
	if (p->has_console_size) {
		struct winsize ws = {.ws_row = (unsigned short)p->console_height,
				     .ws_col = (unsigned short)p->console_width};
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0) {
			close(slave);
			return berr_sys(err, errno, "process.consoleSize: set window size");
		}
	}
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
		close(slave);
		return berr_sys(err, errno, "make the pty the controlling terminal");
	}
	for (int i = 0; i < 3; i++)
		if (dup2(slave, i) < 0) {
			close(slave);
			return berr_sys(err, errno, "dup2 pty to fd %d", i);
		}
	*slave_fd = slave;
	return steal_fd(&master);
}

void console_size_from_caller(struct berth_process *p)
{
	struct winsize ws;

	if (p->has_console_size || ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0 || !ws.ws_row ||
	    !ws.ws_col)
		return;
	p->console_height = ws.ws_row;
	p->console_width = ws.ws_col;
	p->has_console_size = true;
}

int console_socket_connect(const char *socket_path, struct berth_error *err)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	_cleanup_close_ int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (sock < 0)
		return berr_sys(err, errno, "console socket");
	if (strlen(socket_path) >= sizeof(addr.sun_path))
		return berr_set(err, "console socket path too long: %s", socket_path);
	strcpy(addr.sun_path, socket_path);
	if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return berr_sys(err, errno, "connect to console socket %s", socket_path);
	return steal_fd(&sock);
}

int console_send_fd(int sock, int master, struct berth_error *err)
{
	char name[64] = "/dev/ptmx";
	int ptn;

	if (ioctl(master, TIOCGPTN, &ptn) == 0)
		snprintf(name, sizeof(name), "/dev/pts/%d", ptn);
	struct iovec iov = {name, strlen(name)};
	if (fdpass_send(sock, &iov, 1, master) < 0)
		return berr_sys(err, errno, "send pty master to console socket");
	return 0;
}

int console_send_to_socket(const char *socket_path, int master, struct berth_error *err)
{
	_cleanup_close_ int sock = console_socket_connect(socket_path, err);

	if (sock < 0)
		return -1;
	return console_send_fd(sock, master, err);
}

bool console_raw(struct termios *saved)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &t) < 0)
		return false;
	*saved = t;
	cfmakeraw(&t);
	return tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
}

void console_restore(const struct termios *saved)
{
	tcsetattr(STDIN_FILENO, TCSANOW, saved);
}

void console_copy_winsize(int from_fd, int pty)
{
	struct winsize ws;

	if (ioctl(from_fd, TIOCGWINSZ, &ws) == 0 && ioctl(pty, TIOCSWINSZ, &ws) < 0)
		log_debug("resize the pty: %s", strerror(errno));
}
