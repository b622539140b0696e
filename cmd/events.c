/* events.c - the `berth events` command (not built yet). */
#include "cli.h"

static int run_events(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "events: not implemented");
}

const struct cli_command cli_cmd_events = {
    .name = "events",
    .run = run_events,
    .usage = "events",
    .summary = "events",
    .options = NULL,
};
