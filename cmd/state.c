/* state.c - `berth state`: print the OCI state document. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "runtime/container.h"
#include "runtime/lifecycle.h"

static int run_state(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	struct container *c;
	char *s;

	if (cli_getopt(argc, argv, "", (const struct option[]){{NULL, 0, NULL, 0}}) != -1 ||
	    argc - optind != 1)
		return cli_usage_error(&cli_cmd_state, "exactly one container id is required");
	if (container_open(g->root, argv[optind], false, &c, err) < 0)
		return -1;
	s = container_state_json(c, err);
	container_close(c);
	if (!s)
		return -1;
	printf("%s\n", s);
	free(s);
	return 0;
}

const struct cli_command cli_cmd_state = {
    .name = "state",
    .run = run_state,
    .usage = "state <container-id>",
    .summary = "output the state of a container",
    .options = NULL,
};
