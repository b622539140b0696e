/* freezer.c - freezing and thawing a cgroup (v1 freezer.state, v2
 * cgroup.freeze), waiting until the kernel reports it done.
 *
 * Never signals a process; a freeze that does not settle is an error. */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"

#define FREEZE_TRIES 1000 /* x 1 ms */

static void pause_ms(long ms)
{
	struct timespec ts = {0, ms * 1000 * 1000};

	nanosleep(&ts, NULL);
}

int cg_freeze_v1(const char *dir, bool frozen, struct berth_error *err)
{
	const char *want = frozen ? "FROZEN" : "THAWED";

	for (int i = 0; i < FREEZE_TRIES; i++) {
		_cleanup_free_ char *state = NULL;

		/* writing again nudges a FREEZING cgroup whose tasks were busy */
		if (i % 50 == 0 && cg_write(dir, "freezer.state", want, err) < 0)
			return -1;
		if (cg_read(dir, "freezer.state", &state, err) < 0)
			return -1;
		if (!strcmp(state, want))
			return 0;
		pause_ms(1);
	}
	if (frozen)
		cg_write(dir, "freezer.state", "THAWED", err);
	return berr_set(err, "%s/freezer.state: did not become %s in time", dir, want);
}

int cg_is_frozen_v1(const char *dir, bool *frozen, struct berth_error *err)
{
	_cleanup_free_ char *state = NULL;

	if (cg_read(dir, "freezer.state", &state, err) < 0)
		return -1;
	*frozen = !strcmp(state, "FROZEN");
	return 0;
}

int cg_freeze_v2(const char *dir, bool frozen, struct berth_error *err)
{
	if (cg_write(dir, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
		return -1;
	for (int i = 0; i < FREEZE_TRIES; i++) {
		uint64_t v;

		if (cg_read_keyed(dir, "cgroup.events", "frozen", &v) < 0)
			return 0; /* no events file: nothing to wait for */
		if ((v == 1) == frozen)
			return 0;
		pause_ms(1);
	}
	if (frozen)
		cg_write(dir, "cgroup.freeze", "0", err);
	return berr_set(err, "%s/cgroup.events: did not report frozen %d in time", dir,
			frozen ? 1 : 0);
}

int cg_is_frozen_v2(const char *dir, bool *frozen, struct berth_error *err)
{
	_cleanup_free_ char *s = NULL;

	if (cg_read(dir, "cgroup.freeze", &s, err) < 0)
		return -1;
	*frozen = !strcmp(s, "1");
	return 0;
}

/* The cgroup at dir, or where it would be made: its nearest existing
 * ancestor, whose state a new child inherits (v1 freezer.state and v2
 * cgroup.events both report a freeze inherited from above). */
static int refuse_one(const char *dir, const char *file, const char *key, const char *thawed,
		      struct berth_error *err)
{
	_cleanup_free_ char *at = dir ? strdup(dir) : NULL;
	_cleanup_free_ char *state = NULL;
	struct berth_error e;
	char *slash;

	if (!dir)
		return 0;
	if (!at)
		return berr_sys(err, ENOMEM, "%s", dir);
	while (access(at, F_OK) < 0 && (slash = strrchr(at, '/')) && slash != at)
		*slash = '\0';
	if (key) {
		uint64_t v;

		if (cg_read_keyed(at, file, key, &v) < 0 || v == 0)
			return 0;
	} else if (cg_read(at, file, &state, &e) < 0) {
		/* no such file (a v1 root cgroup): never frozen */
		return e.errnum == ENOENT ? 0 : (*err = e, -1);
	} else if (!strcmp(state, thawed)) {
		return 0;
	}
	return berr_set(err, "container's cgroup unexpectedly frozen (%s/%s says %s)", at, file,
			key ? "frozen 1" : state);
}

int cg_refuse_frozen(const char *v1_freezer_dir, const char *v2_dir, struct berth_error *err)
{
	if (refuse_one(v1_freezer_dir, "freezer.state", NULL, "THAWED", err) < 0 ||
	    refuse_one(v2_dir, "cgroup.events", "frozen", NULL, err) < 0)
		return -1;
	return 0;
}
