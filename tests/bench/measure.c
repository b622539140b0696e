/* measure.c - run one command and print what it cost as one JSON line.
 *
 * The benchmark driver runs every measured command under this wrapper so
 * that each number belongs to exactly one invocation: wall time from just
 * before fork() to the wait4() that reaps the command, and the rusage of
 * the command plus every descendant it (or we, as subreaper) reaped: CPU
 * time, page faults and peak RSS (ru_maxrss is the largest single process
 * of that tree, which is what "peak RSS of a run" means here).
 *
 * Options (before the command):
 *   -q         send the command's stdout/stderr to /dev/null
 *   -U         first move into a private mount namespace (slave propagation,
 *              so nothing we do leaks out) and detach /sys/fs/cgroup/unified:
 *              Debian's crun refuses hybrid hosts otherwise. Done before the
 *              clock starts, so it is not counted.
 *   -R PATH    first move into a private mount namespace (as -U) and bind
 *              PATH read-only onto itself: a runtime installed on a
 *              read-only mount (berth then needs no protective re-exec,
 *              see libcontainer/process/exeseal.c). Not counted either.
 *
 * Output on stdout, after the command's own output and a newline:
 * {"status":N,"signal":N,"wall_ns":N,"utime_us":N,
 * "stime_us":N,"minflt":N,"majflt":N,"maxrss_kb":N}
 * Exit status: 0 when the measurement worked (whatever the command's
 * status), 2 on a usage or setup error. It must never change anything
 * outside its own mount namespace. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#define UNIFIED_MOUNT "/sys/fs/cgroup/unified"

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long tv_us(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000LL + tv.tv_usec;
}

static int private_mounts(void)
{
	if (unshare(CLONE_NEWNS) < 0) {
		perror("measure: unshare(CLONE_NEWNS)");
		return -1;
	}
	/* Slave, not private: host mounts still reach us, ours never leave. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
		perror("measure: make / rslave");
		return -1;
	}
	return 0;
}

static int hide_unified(void)
{
	if (umount2(UNIFIED_MOUNT, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT) {
		perror("measure: umount " UNIFIED_MOUNT);
		return -1;
	}
	return 0;
}

static int seal_binary(const char *path)
{
	if (mount(path, path, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0) {
		fprintf(stderr, "measure: bind %s read-only: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

#define USAGE "usage: measure [-q] [-U] [-R PATH] command [args...]\n"

int main(int argc, char **argv)
{
	const char *seal = NULL;
	int quiet = 0, unified = 0, opt;
	long long t0, t1;
	struct rusage ru;
	pid_t pid;
	int status;

	while ((opt = getopt(argc, argv, "+qUR:")) != -1) {
		switch (opt) {
		case 'q':
			quiet = 1;
			break;
		case 'U':
			unified = 1;
			break;
		case 'R':
			seal = optarg;
			break;
		default:
			fprintf(stderr, USAGE);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, USAGE);
		return 2;
	}
	if ((unified || seal) && private_mounts() < 0)
		return 2;
	if (unified && hide_unified() < 0)
		return 2;
	if (seal && seal_binary(seal) < 0)
		return 2;
	/* Orphans of the command (double forks) are reparented to us and
	 * reaped below, so their cost is counted too. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		perror("measure: PR_SET_CHILD_SUBREAPER");
		return 2;
	}
	fflush(stdout);
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 2;
	}
	if (pid == 0) {
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
			if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
				_exit(127);
		}
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("measure: waitpid");
			return 2;
		}
	}
	t1 = now_ns();
	/* Reap orphans that have already exited; ones still running (a
	 * detached container) are not ours to wait for. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (getrusage(RUSAGE_CHILDREN, &ru) < 0) {
		perror("measure: getrusage");
		return 2;
	}
	/* On a line of its own even when the command's output lacks a final
	 * newline (runc's `state`). */
	printf("\n{\"status\":%d,\"signal\":%d,\"wall_ns\":%lld,\"utime_us\":%lld,"
	       "\"stime_us\":%lld,\"minflt\":%ld,\"majflt\":%ld,\"maxrss_kb\":%ld}\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	       WIFSIGNALED(status) ? WTERMSIG(status) : 0, t1 - t0, tv_us(ru.ru_utime),
	       tv_us(ru.ru_stime), ru.ru_minflt, ru.ru_majflt, ru.ru_maxrss);
	return 0;
}
