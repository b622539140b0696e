/* seccomp_internal.h - what the seccomp_*.c files share and nobody else
 * sees: the filter struct, the OCI name tables, the compiler and the cache.
 *
 * Never include this outside libcontainer/seccomp*.c and their unit test. */
#ifndef BERTH_SECCOMP_INTERNAL_H
#define BERTH_SECCOMP_INTERNAL_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"
#include "seccomp_filter.h"

/* Older uapi headers lack the newer flags; the values are kernel ABI. */
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

struct seccomp_filter {
	struct sock_filter *insns;
	uint32_t n_insns;
	uint32_t kflags; /* SECCOMP_FILTER_FLAG_* for seccomp(2), NEW_LISTENER included */
	bool notify;	 /* a rule is SCMP_ACT_NOTIFY: install returns a listener fd */
	bool from_cache;
};

/* ---- seccomp_names.c: OCI names <-> values, pure tables ---- */

struct seccomp_name_u32 {
	const char *name;
	uint32_t value;
};

extern const struct seccomp_name_u32 seccomp_action_names[];   /* by enum berth_seccomp_action */
extern const struct seccomp_name_u32 seccomp_operator_names[]; /* by enum berth_seccomp_op */
extern const struct seccomp_name_u32 seccomp_flag_names[];     /* value = kernel flag bit */
extern const size_t seccomp_n_action_names, seccomp_n_operator_names, seccomp_n_flag_names;

/* "SCMP_ARCH_X86_64" -> libseccomp's SCMP_ARCH_* token, 0 when unknown to
 * this libseccomp build. */
uint32_t seccomp_arch_token(const char *oci_name);
/* The OCI arch names this libseccomp build knows: 0 <= i < count. */
size_t seccomp_arch_count(void);
const char *seccomp_arch_name(size_t i);

/* linux.seccomp.flags -> SECCOMP_FILTER_FLAG_* bits; unknown names are an
 * error naming the entry. Pure: used on cache hits too. */
int seccomp_flags_to_kernel(const struct berth_seccomp *s, uint32_t *out, struct berth_error *err);

/* Whether any rule asks for SCMP_ACT_NOTIFY (and the NOTIFY restrictions). */
int seccomp_check_notify(const struct berth_seccomp *s, bool *notify, struct berth_error *err);

/* ---- seccomp_compile.c: libseccomp, parent side only ---- */

/* Compile s into f->insns/f->n_insns (kflags and notify are set by the
 * caller). */
int seccomp_compile(const struct berth_seccomp *s, struct seccomp_filter *f,
		    struct berth_error *err);

/* ---- seccomp_enosys.c ---- */

/* Prepend to f's program a stub answering ENOSYS for native syscall
 * numbers above the highest one s names (runc's behaviour), unless the
 * default action makes that moot. */
int seccomp_enosys_patch(const struct berth_seccomp *s, struct seccomp_filter *f,
			 struct berth_error *err);

/* ---- seccomp_sha256.c ---- */

#define SECCOMP_SHA256_LEN 32

struct seccomp_sha256 {
	uint32_t h[8];
	uint64_t total; /* bytes fed */
	uint8_t buf[64];
	size_t used;
};

void seccomp_sha256_init(struct seccomp_sha256 *c);
void seccomp_sha256_update(struct seccomp_sha256 *c, const void *data, size_t len);
void seccomp_sha256_final(struct seccomp_sha256 *c, uint8_t out[SECCOMP_SHA256_LEN]);

/* ---- seccomp_cache.c ---- */

/* The cache key: SHA-256 over the profile serialized field by field (every
 * field that changes the program or its flags), the libseccomp version,
 * the kernel release and the machine. Hex, NUL-terminated. */
void seccomp_cache_key(const struct berth_seccomp *s, char hex[2 * SECCOMP_SHA256_LEN + 1]);

/* Open (creating it 0700 if missing) and check <cache_dir>/seccomp: a real
 * directory owned by us with no group/other bits. Returns the dirfd or -1
 * with err set. */
int seccomp_cache_open_dir(const char *cache_dir, struct berth_error *err);

/* Load <key>.bpf into f. Returns 1 on a hit, 0 on a miss (absent, or present
 * but rejected: then it is removed and the reason is log_debug'ged). */
int seccomp_cache_load(int dirfd, const char *key, struct seccomp_filter *f);

/* Store f atomically as <key>.bpf (temp file + rename), evicting the oldest
 * entries beyond SECCOMP_CACHE_MAX_ENTRIES. */
int seccomp_cache_store(int dirfd, const char *key, const struct seccomp_filter *f,
			struct berth_error *err);

#endif
