/* pause.c - the `berth pause` command (not built yet). */
#include "cli.h"

static int run_pause(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "pause: not implemented");
}

const struct cli_command cli_cmd_pause = {
    .name = "pause",
    .run = run_pause,
    .usage = "pause",
    .summary = "pause",
    .options = NULL,
};
