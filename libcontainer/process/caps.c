/* caps.c - process.capabilities: parse names to bit sets (parent), drop the
 * bounding set and set the other four sets (child).
 *
 * The child side uses raw prctl(2)/capset(2): no libcap, no allocation, so
 * it is safe in a cloned child. Never raise a capability the config did not
 * name. */
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "libcontainer/log.h"

#define CAP_BIT(c) ((uint64_t)1 << (c))

/* Unknown and malformed names alike are skipped with a warning, as runc
 * does: a config written for a newer kernel (or by a careless generator)
 * still runs, with fewer capabilities, never more. */
static void parse_set(const char *field, char *const *names, size_t n, int last_cap, uint64_t *out)
{
	uint64_t bits = 0;
	for (size_t i = 0; i < n; i++) {
		int cap;
		const char *name = names[i] ? names[i] : "";
		if (cap_from_name_checked(name, &cap) < 0 || cap > last_cap) {
			log_warn("process.capabilities.%s[%zu]: unknown capability \"%s\" ignored",
				 field, i, name);
			continue;
		}
		bits |= CAP_BIT(cap);
	}
	*out = bits;
}

int caps_parse(const struct berth_capabilities *c, struct caps_sets *out, struct berth_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!c->present)
		return 0;
	int last = cap_last_supported();
	(void)err; /* nothing in a name list is fatal (see parse_set) */
	parse_set("bounding", c->bounding, c->n_bounding, last, &out->bounding);
	parse_set("effective", c->effective, c->n_effective, last, &out->effective);
	parse_set("inheritable", c->inheritable, c->n_inheritable, last, &out->inheritable);
	parse_set("permitted", c->permitted, c->n_permitted, last, &out->permitted);
	parse_set("ambient", c->ambient, c->n_ambient, last, &out->ambient);
	uint64_t raisable = out->permitted & out->inheritable;
	uint64_t lost = out->ambient & ~raisable;
	for (int cap = 0; lost && cap < 64; cap++) {
		if (!(lost & CAP_BIT(cap)))
			continue;
		const char *name = cap_name_of(cap);
		log_warn("process.capabilities.ambient: %s ignored: not in both permitted and "
			 "inheritable",
			 name ? name : "?");
		lost &= ~CAP_BIT(cap);
	}
	out->ambient &= raisable;
	return 0;
}

int caps_drop_bounding(const struct caps_sets *s, struct berth_error *err)
{
	/* Dropping a capability that is already gone succeeds: no need to read
	 * each one first (one syscall per capability instead of two). */
	int last = cap_last_supported();

	for (int cap = 0; cap <= last && cap < 64; cap++) {
		if (s->bounding & CAP_BIT(cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return berr_sys(err, errno, "drop capability %d from the bounding set",
					cap);
	}
	return 0;
}

int caps_set(const struct caps_sets *s, struct berth_error *err)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2] = {
	    {.effective = (uint32_t)s->effective,
	     .permitted = (uint32_t)s->permitted,
	     .inheritable = (uint32_t)s->inheritable},
	    {.effective = (uint32_t)(s->effective >> 32),
	     .permitted = (uint32_t)(s->permitted >> 32),
	     .inheritable = (uint32_t)(s->inheritable >> 32)},
	};
	if (syscall(SYS_capset, &hdr, data) < 0)
		return berr_sys(err, errno,
				"capset (effective 0x%llx, permitted 0x%llx, inheritable 0x%llx)",
				(unsigned long long)s->effective, (unsigned long long)s->permitted,
				(unsigned long long)s->inheritable);
	return 0;
}

int caps_current(struct caps_sets *s, struct berth_error *err)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2];

	memset(s, 0, sizeof(*s));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return berr_sys(err, errno, "capget");
	s->effective = data[0].effective | (uint64_t)data[1].effective << 32;
	s->permitted = data[0].permitted | (uint64_t)data[1].permitted << 32;
	s->inheritable = data[0].inheritable | (uint64_t)data[1].inheritable << 32;
	return 0;
}

int caps_apply(const struct caps_sets *s, struct berth_error *err)
{
	if (caps_set(s, err) < 0)
		return -1;
	/* Ambient capabilities survive execve of a non-privileged binary:
	 * start from none, whatever we inherited. EINVAL means a kernel
	 * without ambient capabilities (< 4.3): fine when none are wanted. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    (errno != EINVAL || s->ambient))
		return berr_sys(err, errno, "clear the ambient capabilities");
	for (int cap = 0; cap < 64; cap++) {
		if (!(s->ambient & CAP_BIT(cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return berr_sys(err, errno, "raise ambient capability %d", cap);
	}
	return 0;
}

size_t caps_supported(const char *names[CAPS_MAX])
{
	int last = cap_last_supported();
	size_t n = 0;

	for (int cap = 0; cap <= last && cap < CAPS_MAX; cap++) {
		const char *name = cap_name_of(cap);
		if (name)
			names[n++] = name;
	}
	return n;
}
