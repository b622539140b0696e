/* start.c - the `berth start` command (not built yet). */
#include "cli.h"

static int run_start(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "start: not implemented");
}

const struct cli_command cli_cmd_start = {
    .name = "start",
    .run = run_start,
    .usage = "start",
    .summary = "start",
    .options = NULL,
};
