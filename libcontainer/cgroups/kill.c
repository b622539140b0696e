/* kill.c - signalling every process of a cgroup.
 *
 * SIGKILL on cgroup v2 uses cgroup.kill (atomic, no fork race). Otherwise the
 * cgroup is frozen while its PIDs are listed and signalled, so that nothing
 * forks in between, then thawed, unless it was already frozen (a paused
 * container stays paused). Only ever signals PIDs listed in the cgroup. */
#include "cgroup_internal.h"

#include <signal.h>
#include <stdlib.h>

#include "cleanup.h"
#include "log.h"

int cg_kill_dir(const char *dir, int sig, bool v2, struct berth_error *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	bool was_frozen = true;
	bool froze = false;
	struct berth_error e;
	int ret;

	if (v2 && sig == SIGKILL && cg_exists(dir, "cgroup.kill"))
		return cg_write(dir, "cgroup.kill", "1", err);
	if (v2 ? cg_is_frozen_v2(dir, &was_frozen, &e) == 0
	       : cg_is_frozen_v1(dir, &was_frozen, &e) == 0) {
		if (!was_frozen)
			froze =
			    (v2 ? cg_freeze_v2(dir, true, &e) : cg_freeze_v1(dir, true, &e)) == 0;
	}
	ret = cg_read_procs(dir, true, &pids, &n, err);
	if (ret == 0)
		ret = cg_signal_pids(pids, n, sig, err);
	if (froze && (v2 ? cg_freeze_v2(dir, false, &e) : cg_freeze_v1(dir, false, &e)) < 0)
		log_debug("thaw after kill: %s", e.msg);
	return ret;
}
