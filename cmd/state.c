/* state.c - the `berth state` command (not built yet). */
#include "cli.h"

static int run_state(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "state: not implemented");
}

const struct cli_command cli_cmd_state = {
    .name = "state",
    .run = run_state,
    .usage = "state",
    .summary = "state",
    .options = NULL,
};
