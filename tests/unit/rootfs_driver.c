/* rootfs_driver.c - runs rootfs_setup() alone, for tests of the rootfs
 * module before (and besides) the full `berth run`.
 *
 *   rootfs-driver [--no-pivot] [--userns-devices] [--console] BUNDLE [CMD [ARG...]]
 *
 * Loads BUNDLE/config.json, unshares mount, pid, ipc, uts (and cgroup when
 * the config asks for a cgroup namespace) namespaces, forks the container's
 * pid 1, which calls rootfs_setup() and execs CMD inside the new root. Exits
 * with CMD's status (128+signal when killed). Not a runtime: no cgroups, no
 * capabilities, no user switch. --userns-devices takes the in_userns path
 * (devices bound from the host) without a user namespace. --console opens a
 * pty in the container's devpts and binds its slave on /dev/console. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/config/config.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/rootfs/safepath.h"

static int usage(void)
{
	fprintf(stderr, "usage: rootfs-driver [--no-pivot] [--userns-devices] [--console] BUNDLE "
			"[CMD [ARG...]]\n");
	return 2;
}

static bool has_ns(const struct berth_spec *s, enum berth_ns_type t)
{
	for (size_t i = 0; i < s->linux_.n_namespaces; i++)
		if (s->linux_.namespaces[i].type == t)
			return true;
	return false;
}

/* A pty of the container's devpts (mounted at <rootfs>/dev/pts by then):
 * the slave is opened through the container's own ptmx. */
static int open_console(const char *rootfs)
{
	char path[PATH_MAX];
	int master, slave, unlock = 0;

	snprintf(path, sizeof(path), "%s/dev/pts/ptmx", rootfs);
	master = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return -1;
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	return slave;
}

struct hook_arg {
	const char *rootfs;
	int *console_out;
};

static int open_console_hook(void *arg, struct berth_error *err)
{
	struct hook_arg *h = arg;

	*h->console_out = open_console(h->rootfs);
	if (*h->console_out < 0)
		return berr_sys(err, errno, "open a pty of the container's devpts");
	return 0;
}

int main(int argc, char **argv)
{
	bool no_pivot = false, userns_devices = false, console = false;
	struct berth_error err = {0};
	char cfgpath[PATH_MAX], rootfs[PATH_MAX];
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--no-pivot") == 0)
			no_pivot = true;
		else if (strcmp(argv[i], "--userns-devices") == 0)
			userns_devices = true;
		else if (strcmp(argv[i], "--console") == 0)
			console = true;
		else
			return usage();
	}
	if (argc - i < 1)
		return usage();
	const char *bundle = argv[i];
	snprintf(cfgpath, sizeof(cfgpath), "%s/config.json", bundle);
	struct berth_spec *spec = berth_spec_load(cfgpath, &err);
	if (!spec) {
		fprintf(stderr, "rootfs-driver: %s\n", err.msg);
		return 1;
	}
	if (chdir(bundle) < 0 || !realpath(spec->root.path, rootfs)) {
		perror("rootfs-driver: rootfs");
		return 1;
	}
	int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
	if (has_ns(spec, BERTH_NS_CGROUP))
		flags |= CLONE_NEWCGROUP;
	if (unshare(flags) < 0) {
		perror("rootfs-driver: unshare");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("rootfs-driver: fork");
		return 1;
	}
	if (pid == 0) {
		int console_fd = -1;
		struct hook_arg ha = {.rootfs = rootfs, .console_out = &console_fd};
		struct rootfs_config rc = {
		    .spec = spec,
		    .rootfs = rootfs,
		    .no_pivot = no_pivot,
		    .in_userns = userns_devices,
		    .console_fd = -1,
		    .before_pivot = console ? open_console_hook : NULL,
		    .before_pivot_arg = &ha,
		};
		if (rootfs_setup(&rc, &err) < 0) {
			fprintf(stderr, "rootfs-driver: %s\n", err.msg);
			_exit(1);
		}
		if (console_fd >= 0 && rootfs_bind_console(console_fd, &err) < 0) {
			fprintf(stderr, "rootfs-driver: %s\n", err.msg);
			_exit(1);
		}
		/* CMD, or process.args of the config */
		char **args = argc - i > 1 ? argv + i + 1 : spec->process.args;
		if (!args || !args[0]) {
			fprintf(stderr, "rootfs-driver: no command\n");
			_exit(127);
		}
		setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
		if (spec->has_process && spec->process.cwd && chdir(spec->process.cwd) < 0)
			perror("rootfs-driver: cwd");
		execvp(args[0], args);
		fprintf(stderr, "rootfs-driver: exec %s: %s\n", args[0], strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	berth_spec_free(spec);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
