/* base.c - the floor for tests/bench: the least a runtime must do to run a
 * command under runc's default `spec` config, and nothing else.
 *
 *   base [-f] ROOTFS [command [args...]]      (command defaults to /bin/true)
 *   base -e PID [command [args...]]
 *
 * Default ("base"): clone3 into new pid, net, ipc, uts and mount namespaces,
 * bind the rootfs, mount what the default spec mounts (proc, /dev tmpfs,
 * devpts, shm, mqueue, sysfs ro, and the host's /sys/fs/cgroup tree bound
 * read-only), pivot_root, exec, wait.
 * With -f ("base-full") it also does the rest of what the default config
 * asks, in the cheapest way: device nodes and /dev symlinks, masked and
 * read-only paths, read-only root, hostname, RLIMIT_NOFILE, the three
 * capabilities, no_new_privs. Still no config parsing, no state, no cgroups.
 * With -e ("base exec") it joins the namespaces of the running container
 * whose init is PID (one setns(pidfd, flags)), forks so the pid namespace
 * applies, execs the command in the container and waits for it.
 *
 * It is a measuring stick, not a runtime: it trusts its rootfs, takes no
 * care over hostile paths, and must never be used outside the benchmark. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define NS_FLAGS (CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS)

static void die(const char *what)
{
	fprintf(stderr, "base: %s: %s\n", what, strerror(errno));
	_exit(127);
}

static void mkdir_p(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die(path);
}

struct mnt {
	const char *dest, *type, *source;
	unsigned long flags;
	const char *data;
};

/* runc's default `spec` mounts, in order. */
static const struct mnt default_mounts[] = {
    {"proc", "proc", "proc", 0, NULL},
    {"dev", "tmpfs", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"},
    {"dev/pts", "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
     "newinstance,ptmxmode=0666,mode=0620,gid=5"},
    {"dev/shm", "tmpfs", "shm", MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=1777,size=65536k"},
    {"dev/mqueue", "mqueue", "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL},
    {"sys", "sysfs", "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY, NULL},
};

static void do_mounts(void)
{
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};

	for (size_t i = 0; i < sizeof(default_mounts) / sizeof(default_mounts[0]); i++) {
		const struct mnt *m = &default_mounts[i];

		mkdir_p(m->dest);
		if (mount(m->source, m->dest, m->type, m->flags, m->data) < 0)
			die(m->dest);
	}
	/* The "cgroup" mount: a fresh cgroup2 mount costs ~15 ms on this
	 * kernel after the machine idles (a kernel wait, not work), and on a
	 * hybrid host runtimes bind the host's hierarchies instead; one
	 * recursive bind made read-only in one call is the least of that. */
	if (mount("/sys/fs/cgroup", "sys/fs/cgroup", NULL, MS_BIND | MS_REC, NULL) < 0)
		die("bind sys/fs/cgroup");
	if (syscall(SYS_mount_setattr, AT_FDCWD, "sys/fs/cgroup", AT_RECURSIVE, &ro, sizeof(ro)) <
	    0)
		die("mount_setattr sys/fs/cgroup");
}

/* -f only: what the default config asks beyond namespaces and mounts. */
static const struct {
	const char *name;
	mode_t mode;
	unsigned maj, min;
} devices[] = {
    {"dev/null", 0666, 1, 3},	{"dev/zero", 0666, 1, 5},    {"dev/full", 0666, 1, 7},
    {"dev/random", 0666, 1, 8}, {"dev/urandom", 0666, 1, 9}, {"dev/tty", 0666, 5, 0},
};

static const char *const dev_links[][2] = {
    {"/proc/self/fd", "dev/fd"},       {"/proc/self/fd/0", "dev/stdin"},
    {"/proc/self/fd/1", "dev/stdout"}, {"/proc/self/fd/2", "dev/stderr"},
    {"pts/ptmx", "dev/ptmx"},	       {"/proc/kcore", "dev/core"},
};

static const char *const masked[] = {
    "/proc/acpi",	   "/proc/asound",     "/proc/kcore",	    "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/sys/firmware",	   "/proc/scsi",
};

static const char *const readonly[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

static void do_devices(void)
{
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		if (mknod(devices[i].name, S_IFCHR | devices[i].mode,
			  makedev(devices[i].maj, devices[i].min)) < 0)
			die(devices[i].name);
		if (chmod(devices[i].name, devices[i].mode) < 0) /* umask */
			die(devices[i].name);
	}
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
		if (symlink(dev_links[i][0], dev_links[i][1]) < 0)
			die(dev_links[i][1]);
}

static void do_masked_readonly(void)
{
	struct stat st;

	for (size_t i = 0; i < sizeof(masked) / sizeof(masked[0]); i++) {
		if (stat(masked[i], &st) < 0)
			continue; /* absent paths are skipped, as the spec allows */
		if (S_ISDIR(st.st_mode)) {
			if (mount("tmpfs", masked[i], "tmpfs", MS_RDONLY, NULL) < 0)
				die(masked[i]);
		} else if (mount("/dev/null", masked[i], NULL, MS_BIND, NULL) < 0) {
			die(masked[i]);
		}
	}
	for (size_t i = 0; i < sizeof(readonly) / sizeof(readonly[0]); i++) {
		if (mount(readonly[i], readonly[i], NULL, MS_BIND | MS_REC, NULL) < 0) {
			if (errno == ENOENT)
				continue;
			die(readonly[i]);
		}
		if (mount(NULL, readonly[i], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
			die(readonly[i]);
	}
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
		die("remount / ro");
}

static void do_process(void)
{
	const int keep[] = {CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE};
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2] = {{0, 0, 0}, {0, 0, 0}};
	struct rlimit rl = {1024, 1024};

	if (sethostname("runc", 4) < 0)
		die("sethostname");
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("setrlimit");
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		int kept = 0;
		for (size_t i = 0; i < 3; i++)
			kept |= keep[i] == cap;
		if (!kept && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			die("PR_CAPBSET_DROP");
	}
	for (size_t i = 0; i < 3; i++) {
		data[keep[i] / 32].effective |= 1u << (keep[i] % 32);
		data[keep[i] / 32].permitted |= 1u << (keep[i] % 32);
		data[keep[i] / 32].inheritable |= 1u << (keep[i] % 32);
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		die("capset");
	for (size_t i = 0; i < 3; i++)
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, keep[i], 0, 0) < 0)
			die("PR_CAP_AMBIENT_RAISE");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("PR_SET_NO_NEW_PRIVS");
}

static void child(const char *rootfs, char **argv, int full)
{
	char *envp[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"TERM=xterm", NULL};

	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		die("make / rslave");
	if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("bind rootfs");
	if (chdir(rootfs) < 0)
		die("chdir rootfs");
	do_mounts();
	if (full)
		do_devices();
	/* pivot_root(".", ".") stacks the old root under the new one; one
	 * lazy unmount of "." then drops it without a temporary directory. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die("pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		die("umount old root");
	if (chdir("/") < 0)
		die("chdir /");
	if (full) {
		do_masked_readonly();
		do_process();
	}
	execve(argv[0], argv, envp);
	die(argv[0]);
}

static int base_exec(pid_t target, char **cmd)
{
	char *envp[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL};
	int pidfd, status;
	pid_t pid;

	pidfd = (int)syscall(SYS_pidfd_open, target, 0);
	if (pidfd < 0)
		die("pidfd_open");
	if (setns(pidfd, NS_FLAGS) < 0)
		die("setns");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (chdir("/") < 0)
			die("chdir /");
		execve(cmd[0], cmd, envp);
		die(cmd[0]);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	static char *default_cmd[] = {"/bin/true", NULL};
	struct clone_args ca;
	int full = 0, status;
	char **cmd;
	long pid;

	if (argc > 2 && strcmp(argv[1], "-e") == 0)
		return base_exec((pid_t)atoi(argv[2]), argc > 3 ? argv + 3 : default_cmd);
	if (argc > 1 && strcmp(argv[1], "-f") == 0) {
		full = 1;
		argc--;
		argv++;
	}
	if (argc < 2) {
		fprintf(stderr,
			"usage: base [-f] ROOTFS [command [args...]] | base -e PID [command...]\n");
		return 2;
	}
	cmd = argc > 2 ? argv + 2 : default_cmd;

	memset(&ca, 0, sizeof(ca));
	ca.flags = NS_FLAGS;
	ca.exit_signal = SIGCHLD;
	/* No stack: clone3 then behaves like fork() with namespaces. */
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0) {
		perror("base: clone3");
		return 127;
	}
	if (pid == 0)
		child(argv[1], cmd, full);
	if (waitpid((pid_t)pid, &status, 0) < 0) {
		perror("base: waitpid");
		return 127;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
