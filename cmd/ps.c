/* ps.c - the `berth ps` command (not built yet). */
#include "cli.h"

static int run_ps(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "ps: not implemented");
}

const struct cli_command cli_cmd_ps = {
    .name = "ps",
    .run = run_ps,
    .usage = "ps",
    .summary = "ps",
    .options = NULL,
};
