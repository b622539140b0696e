/* resume.c - `berth resume ID`: thaw a paused container. */
#include "cli.h"
#include "runtime/resources.h"

static int run_resume(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	struct runtime_opts ro;
	int rc;

	if (cli_getopt(argc, argv, "", (const struct option[]){{NULL, 0, NULL, 0}}) != -1)
		return cli_usage_error(&cli_cmd_resume, "flag provided but not defined");
	rc = cli_require_args(&cli_cmd_resume, argc, 1, "<container-id>");
	if (rc)
		return -rc;
	cli_runtime_opts(g, &ro);
	return runtime_resume(&ro, argv[optind], err) < 0 ? -1 : 0;
}

const struct cli_command cli_cmd_resume = {
    .name = "resume",
    .run = run_resume,
    .usage = "resume <container-id>",
    .summary = "resumes all processes that have been previously paused",
    .options = NULL,
};
