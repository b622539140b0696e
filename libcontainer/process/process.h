/* process.h - what process/ offers the layers above: making, joining and
 * signalling the container's processes. One include for all of it; each
 * header below says what its part does.
 *
 * Inside process/ the files include each other's headers directly. */
#ifndef BERTH_PROCESS_H
#define BERTH_PROCESS_H

#include "cap_names.h"	/* capability names <-> numbers */
#include "caps.h"	/* the spec's capability sets as bits, and their features */
#include "clone3.h"	/* clone3 and pidfd calls the kernel headers lack */
#include "console.h"	/* the pty: make it in the container, pass the master out */
#include "exeseal.h"	/* re-exec from a copy of berth the container can't write */
#include "hooks.h"	/* the hook runner: fork, exec, timeout, the state on stdin */
#include "identity.h"	/* the workload's limits, user, caps, cwd, exec */
#include "init.h"	/* the container init's steps, in the clone3 child */
#include "join.h"	/* an exec'd process joining a running container */
#include "lsm.h"	/* AppArmor and SELinux labels */
#include "namespaces.h" /* the spec's namespaces as clone flags; setns */
#include "passwd.h"	/* passwd(5) entries, read without NSS */
#include "serve.h"	/* the parent's one loop over the child's requests */
#include "spawn.h"	/* the parent's side: clone, place, let go */
#include "sync.h"	/* the typed parent/child protocol on the sync socket */
#include "userns.h"	/* user namespaces and id maps, rootless detection */

#endif
