/* seccomp_cache.c - compiled seccomp programs kept under
 * <cache_dir>/seccomp/<sha256>.bpf, so a start with an unchanged profile
 * costs one open and one read instead of a libseccomp compile.
 *
 * The key hashes the profile field by field together with what else shapes
 * the program: the identity of the libseccomp shared object (path, inode,
 * size, mtime: a Debian security update keeps the version number but may
 * change the syscall table), its header version, and the kernel (uname).
 * Computing it makes no libseccomp call.
 *
 * Never: follow a symlink, read a file that is not ours and 0600, or trust a
 * header that disagrees with the file name, the file size or the flags the
 * profile asks for. A bad entry is removed and recompiled, never fatal. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "seccomp_internal.h"

#define CACHE_SUBDIR  "seccomp"
#define CACHE_MAGIC   "BERTHBPF"
#define CACHE_FORMAT  1u
#define KEY_HEX_LEN   (2 * SECCOMP_SHA256_LEN)
#define CACHE_NAME_SZ (KEY_HEX_LEN + sizeof(".bpf"))

struct cache_header {
	char magic[8];
	uint32_t format;
	uint32_t kflags;
	uint32_t notify;
	uint32_t n_insns;
	char key[KEY_HEX_LEN]; /* must equal the file name */
};

/* ---- the key ---- */

static void feed_u64(struct seccomp_sha256 *c, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	seccomp_sha256_update(c, b, sizeof(b));
}

/* Length-prefixed so that ("ab","c") and ("a","bc") differ; NULL differs
 * from "". */
static void feed_str(struct seccomp_sha256 *c, const char *s)
{
	if (!s) {
		feed_u64(c, UINT64_MAX);
		return;
	}
	size_t n = strlen(s);
	feed_u64(c, n);
	seccomp_sha256_update(c, s, n);
}

static void feed_strv(struct seccomp_sha256 *c, char *const *v, size_t n)
{
	feed_u64(c, n);
	for (size_t i = 0; i < n; i++)
		feed_str(c, v[i]);
}

/* Which libseccomp we link: the shared object's identity, found through
 * the dynamic loader, not through libseccomp. */
static void feed_libseccomp(struct seccomp_sha256 *c)
{
	feed_u64(c, SCMP_VER_MAJOR << 16 | SCMP_VER_MINOR << 8 | SCMP_VER_MICRO);
	Dl_info info;
	struct stat st;
	if (dladdr((void *)seccomp_export_bpf, &info) && info.dli_fname &&
	    stat(info.dli_fname, &st) == 0) {
		feed_str(c, info.dli_fname);
		feed_u64(c, st.st_dev);
		feed_u64(c, st.st_ino);
		feed_u64(c, (uint64_t)st.st_size);
		feed_u64(c, (uint64_t)st.st_mtim.tv_sec);
		feed_u64(c, (uint64_t)st.st_mtim.tv_nsec);
	} else {
		feed_str(c, NULL);
	}
}

static void feed_profile(struct seccomp_sha256 *c, const struct berth_seccomp *s)
{
	feed_u64(c, s->default_action);
	feed_u64(c, s->has_default_errno_ret);
	feed_u64(c, s->default_errno_ret);
	feed_strv(c, s->architectures, s->n_architectures);
	feed_strv(c, s->flags, s->n_flags);
	feed_u64(c, s->n_syscalls);
	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct berth_seccomp_syscall *sc = &s->syscalls[i];
		feed_strv(c, sc->names, sc->n_names);
		feed_u64(c, sc->action);
		feed_u64(c, sc->has_errno_ret);
		feed_u64(c, sc->errno_ret);
		feed_u64(c, sc->n_args);
		for (size_t j = 0; j < sc->n_args; j++) {
			feed_u64(c, sc->args[j].index);
			feed_u64(c, sc->args[j].value);
			feed_u64(c, sc->args[j].value_two);
			feed_u64(c, sc->args[j].op);
		}
	}
	/* listenerPath and listenerMetadata don't change the program. */
}

void seccomp_cache_key(const struct berth_seccomp *s, char hex[KEY_HEX_LEN + 1])
{
	struct seccomp_sha256 c;
	seccomp_sha256_init(&c);
	feed_str(&c, "berth seccomp cache v2");
	feed_libseccomp(&c);
	struct utsname u;
	if (uname(&u) == 0) {
		feed_str(&c, u.release);
		feed_str(&c, u.version);
		feed_str(&c, u.machine);
	}
	feed_profile(&c, s);
	uint8_t d[SECCOMP_SHA256_LEN];
	seccomp_sha256_final(&c, d);
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < SECCOMP_SHA256_LEN; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 0xf];
	}
	hex[KEY_HEX_LEN] = '\0';
}

/* ---- the directory ---- */

int seccomp_cache_open_dir(const char *cache_dir, struct berth_error *err)
{
	/* The caller's cache dir may not exist yet on a fresh state root;
	 * make that one level (ours, 0700), never its parents. */
	if (mkdir(cache_dir, 0700) < 0 && errno != EEXIST)
		return berr_sys(err, errno, "mkdir %s", cache_dir);
	_cleanup_close_ int root = open(cache_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return berr_sys(err, errno, "open %s", cache_dir);
	if (mkdirat(root, CACHE_SUBDIR, 0700) < 0 && errno != EEXIST)
		return berr_sys(err, errno, "mkdir %s/" CACHE_SUBDIR, cache_dir);
	_cleanup_close_ int fd =
	    openat(root, CACHE_SUBDIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return berr_sys(err, errno, "open %s/" CACHE_SUBDIR, cache_dir);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return berr_sys(err, errno, "stat %s/" CACHE_SUBDIR, cache_dir);
	/* Anyone else able to write here could plant programs. */
	if (st.st_uid != geteuid() || (st.st_mode & 077) != 0)
		return berr_set(err,
				"%s/" CACHE_SUBDIR ": owned by uid %u with mode %04o, want uid %u "
				"and no group/other access",
				cache_dir, st.st_uid, st.st_mode & 07777, geteuid());
	return steal_fd(&fd);
}

/* ---- load ---- */

static int reject(int dirfd, const char *name, const char *why)
{
	log_debug("seccomp: cache file %s rejected: %s", name, why);
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
		log_debug("seccomp: remove cache file %s: %s", name, strerror(errno));
	return 0;
}

int seccomp_cache_load(int dirfd, const char *key, struct seccomp_filter *f)
{
	char name[CACHE_NAME_SZ];
	snprintf(name, sizeof(name), "%s.bpf", key);
	_cleanup_close_ int fd =
	    openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		if (errno == ELOOP)
			return reject(dirfd, name, "a symlink");
		log_debug("seccomp: open cache file %s: %s", name, strerror(errno));
		return 0;
	}
	struct stat st;
	if (fstat(fd, &st) < 0)
		return reject(dirfd, name, "fstat failed");
	if (!S_ISREG(st.st_mode))
		return reject(dirfd, name, "not a regular file");
	if (st.st_uid != geteuid())
		return reject(dirfd, name, "wrong owner");
	if ((st.st_mode & 07777) != 0600)
		return reject(dirfd, name, "mode is not 0600");
	if (st.st_nlink != 1)
		return reject(dirfd, name, "has other links");
	size_t size = (size_t)st.st_size;
	if (size <= sizeof(struct cache_header) ||
	    (size - sizeof(struct cache_header)) % sizeof(struct sock_filter) != 0 ||
	    (size - sizeof(struct cache_header)) / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return reject(dirfd, name, "bad size");

	size_t n_insns = (size - sizeof(struct cache_header)) / sizeof(struct sock_filter);
	_cleanup_free_ struct sock_filter *insns = malloc(n_insns * sizeof(*insns));
	if (!insns)
		return 0;
	struct cache_header h;
	struct iovec iov[2] = {{&h, sizeof(h)}, {insns, n_insns * sizeof(*insns)}};
	ssize_t n = readv(fd, iov, 2);
	if (n < 0 || (size_t)n != size)
		return reject(dirfd, name, "short read");
	if (memcmp(h.magic, CACHE_MAGIC, sizeof(h.magic)) != 0 || h.format != CACHE_FORMAT)
		return reject(dirfd, name, "bad magic");
	if (memcmp(h.key, key, KEY_HEX_LEN) != 0)
		return reject(dirfd, name, "key does not match the name");
	if (h.n_insns != n_insns)
		return reject(dirfd, name, "length does not match the size");
	if (h.kflags != f->kflags || h.notify != (uint32_t)f->notify)
		return reject(dirfd, name, "flags differ");
	f->insns = steal_ptr(&insns);
	f->n_insns = (uint32_t)n_insns;
	f->from_cache = true;
	return 1;
}

/* ---- store ---- */

struct entry {
	char name[CACHE_NAME_SZ];
	struct timespec mtime;
};

static int older_first(const void *a, const void *b)
{
	const struct timespec *x = &((const struct entry *)a)->mtime;
	const struct timespec *y = &((const struct entry *)b)->mtime;
	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return x->tv_nsec < y->tv_nsec ? -1 : x->tv_nsec > y->tv_nsec;
}

static bool is_entry_name(const char *n)
{
	size_t len = strlen(n);
	return len == CACHE_NAME_SZ - 1 && strcmp(n + KEY_HEX_LEN, ".bpf") == 0 &&
	       strspn(n, "0123456789abcdef") == KEY_HEX_LEN;
}

/* Keep at most SECCOMP_CACHE_MAX_ENTRIES programs: remove the oldest. */
static void evict(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		struct stat st;
		if (!is_entry_name(de->d_name) ||
		    fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (n == cap) {
			size_t ncap = cap ? 2 * cap : 2 * SECCOMP_CACHE_MAX_ENTRIES;
			struct entry *nv = realloc(v, ncap * sizeof(*v));
			if (!nv)
				break;
			v = nv;
			cap = ncap;
		}
		memcpy(v[n].name, de->d_name, CACHE_NAME_SZ);
		v[n].mtime = st.st_mtim;
		n++;
	}
	closedir(d);
	if (n > SECCOMP_CACHE_MAX_ENTRIES) {
		qsort(v, n, sizeof(*v), older_first);
		for (size_t i = 0; i < n - SECCOMP_CACHE_MAX_ENTRIES; i++) {
			log_debug("seccomp: cache full, evicting %s", v[i].name);
			if (unlinkat(dirfd, v[i].name, 0) < 0 && errno != ENOENT)
				log_debug("seccomp: evict %s: %s", v[i].name, strerror(errno));
		}
	}
	free(v);
}

int seccomp_cache_store(int dirfd, const char *key, const struct seccomp_filter *f,
			struct berth_error *err)
{
	char name[CACHE_NAME_SZ], tmp[CACHE_NAME_SZ + 32];
	snprintf(name, sizeof(name), "%s.bpf", key);
	snprintf(tmp, sizeof(tmp), ".tmp-%d-%s", (int)getpid(), name);
	_cleanup_close_ int fd =
	    openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return berr_sys(err, errno, "create %s", tmp);
	struct cache_header h = {.format = CACHE_FORMAT,
				 .kflags = f->kflags,
				 .notify = f->notify,
				 .n_insns = f->n_insns};
	memcpy(h.magic, CACHE_MAGIC, sizeof(h.magic));
	memcpy(h.key, key, KEY_HEX_LEN);
	size_t size = sizeof(h) + f->n_insns * sizeof(*f->insns);
	struct iovec iov[2] = {{&h, sizeof(h)}, {f->insns, f->n_insns * sizeof(*f->insns)}};
	/* The umask may have taken bits the loader insists on. */
	ssize_t n = -1;
	if (fchmod(fd, 0600) == 0)
		n = writev(fd, iov, 2);
	if (n < 0 || (size_t)n != size) {
		int e = n < 0 ? errno : EIO;
		unlinkat(dirfd, tmp, 0);
		return berr_sys(err, e, "write %s", tmp);
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		int e = errno;
		unlinkat(dirfd, tmp, 0);
		return berr_sys(err, e, "rename %s to %s", tmp, name);
	}
	evict(dirfd);
	return 0;
}
