/* crash_point.h - test-only places where the runtime SIGKILLs itself.
 *
 * A build configured with -Dcrash_points=true (tests/crash/ only; the
 * release build has none of this, not even the environment variable's
 * name) kills itself at the crash point named by $BERTH_CRASH_AT, so a test
 * can stop create, start, exec or delete after each of their steps and
 * check that `delete -f` still leaves nothing behind. With
 * $BERTH_CRASH_TRACE=FILE each crash point reached is appended to FILE: the
 * test learns the steps from the binary instead of keeping a list. */
#ifndef BERTH_CRASH_POINT_H
#define BERTH_CRASH_POINT_H

#ifdef BERTH_CRASH_POINTS
void crash_point(const char *name);
#else
static inline void crash_point(const char *name)
{
	(void)name;
}
#endif

#endif
