/* pause.c - `berth pause ID`: freeze every process of a running container. */
#include "cli.h"
#include "runtime/resources.h"

static int run_pause(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	struct runtime_opts ro;
	int rc;

	if (cli_getopt(argc, argv, "", (const struct option[]){{NULL, 0, NULL, 0}}) != -1)
		return cli_usage_error(&cli_cmd_pause, "flag provided but not defined");
	rc = cli_require_args(&cli_cmd_pause, argc, 1, "<container-id>");
	if (rc)
		return -rc;
	cli_runtime_opts(g, &ro);
	return runtime_pause(&ro, argv[optind], err) < 0 ? -1 : 0;
}

const struct cli_command cli_cmd_pause = {
    .name = "pause",
    .run = run_pause,
    .usage = "pause <container-id>",
    .summary = "pause suspends all processes inside the container",
    .options = NULL,
};
