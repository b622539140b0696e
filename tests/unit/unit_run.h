/* unit_run.h - what every unit test program's main() does: run its suite
 * and exit non-zero when a test failed. */
#ifndef BERTH_TEST_UNIT_RUN_H
#define BERTH_TEST_UNIT_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);

	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
