/* kill.c - signalling every process of a cgroup.
 *
 * SIGKILL on cgroup v2 uses cgroup.kill (atomic, no fork race). Otherwise the
 * cgroup is frozen while its PIDs are listed and signalled, so that nothing
 * forks in between, then thawed, unless it was already frozen (a paused
 * container stays paused, but for SIGKILL on v1, which a frozen task only
 * acts on once thawed). Only ever signals PIDs listed in the cgroup. */
#include "cgroup_internal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <stdlib.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

/* No process in dir or below it, cheaply: v2 says so in cgroup.events;
 * on v1 a cgroup directory's link count is 2 plus its child cgroups, so
 * with none, an empty cgroup.procs settles it. Nothing inside can fork,
 * so the answer holds. A missing dir is empty. */
static bool cg_is_empty(const char *dir, bool v2)
{
	_cleanup_free_ char *text = NULL;
	struct berth_error e;
	struct stat st;

	if (v2) {
		if (cg_read(dir, "cgroup.events", &text, &e) < 0)
			return e.errnum == ENOENT;
		return strstr(text, "populated 0") != NULL;
	}
	if (stat(dir, &st) < 0)
		return errno == ENOENT;
	if (st.st_nlink != 2)
		return false;
	if (cg_read(dir, "cgroup.procs", &text, &e) < 0)
		return e.errnum == ENOENT;
	return text[strspn(text, " \n")] == '\0';
}

int cg_kill_dir(const char *dir, int sig, bool v2, struct berth_error *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	bool was_frozen = true;
	bool froze = false;
	struct berth_error e;
	int ret;

	/* The usual delete of a stopped container: nothing to signal, and on
	 * v1 a freeze/thaw pair would cost two kernel text patches (~250 us,
	 * with IPIs) for nothing. */
	if (cg_is_empty(dir, v2))
		return 0;
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
	/* a v1-frozen task keeps a SIGKILL pending until thawed (v2 lets it
	 * die frozen): thaw a paused cgroup too when everything must die */
	if (!v2 && sig == SIGKILL && was_frozen)
		froze = true;
	if (froze && (v2 ? cg_freeze_v2(dir, false, &e) : cg_freeze_v1(dir, false, &e)) < 0)
		log_debug("thaw after kill: %s", e.msg);
	return ret;
}
