/* ps.c - `berth ps [-f table|json] ID [ps options]`: as runc, the table is
 * the host's ps output filtered to the container's processes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "runtime/lifecycle.h"

static bool has_pid(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Which whitespace-separated column of the header is "PID". */
static int pid_column(const char *header)
{
	int col = 0;
	const char *p = header;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (strncmp(p, "PID", 3) == 0 && (p[3] == ' ' || p[3] == '\n' || !p[3]))
			return col;
		while (*p && *p != ' ')
			p++;
		col++;
	}
	return -1;
}

static long field_at(const char *line, int col)
{
	const char *p = line;

	for (int i = 0; i <= col; i++) {
		while (*p == ' ')
			p++;
		if (i == col)
			return strtol(p, NULL, 10);
		while (*p && *p != ' ')
			p++;
	}
	return -1;
}

static int print_table(char **ps_args, int n_args, const pid_t *pids, size_t n,
		       struct berth_error *err)
{
	char *argv[64] = {"ps"};
	int a = 1, fds[2];

	if (n_args == 0)
		argv[a++] = "-ef";
	for (int i = 0; i < n_args && a < 63; i++)
		argv[a++] = ps_args[i];
	argv[a] = NULL;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return berr_sys(err, errno, "pipe");
	pid_t child = fork();
	if (child < 0)
		return berr_sys(err, errno, "fork ps");
	if (child == 0) {
		dup2(fds[1], STDOUT_FILENO);
		execvp("ps", argv);
		_exit(127);
	}
	close(fds[1]);
	FILE *f = fdopen(fds[0], "r");
	char *line = NULL;
	size_t cap = 0;
	int col = -1;
	bool first = true;
	while (f && getline(&line, &cap, f) > 0) {
		if (first) {
			col = pid_column(line);
			fputs(line, stdout);
			first = false;
		} else if (col >= 0 && has_pid(pids, n, field_at(line, col))) {
			fputs(line, stdout);
		}
	}
	free(line);
	if (f)
		fclose(f);
	int status;
	waitpid(child, &status, 0);
	if (col < 0)
		return berr_set(err, "couldn't find PID field in ps output");
	return 0;
}

static int run_ps(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {NULL, 0, NULL, 0}};
	const char *format = "table";
	struct runtime_opts ro;
	pid_t *pids = NULL;
	size_t n = 0;
	int c, rc;

	while ((c = cli_getopt(argc, argv, "f:", opts)) != -1) {
		if (c == 'f')
			format = optarg;
		else
			return cli_usage_error(&cli_cmd_ps, "flag provided but not defined");
	}
	if (argc - optind < 1)
		return cli_usage_error(&cli_cmd_ps, "a container id is required");
	if (strcmp(format, "table") && strcmp(format, "json"))
		return berr_set(err, "invalid format option");
	cli_runtime_opts(g, &ro);
	if (runtime_ps_pids(&ro, argv[optind], &pids, &n, err) < 0)
		return -1;
	if (strcmp(format, "json") == 0) {
		printf("[");
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		printf("]\n");
		rc = 0;
	} else {
		rc = print_table(argv + optind + 1, argc - optind - 1, pids, n, err);
	}
	free(pids);
	return rc;
}

const struct cli_command cli_cmd_ps = {
    .name = "ps",
    .run = run_ps,
    .usage = "ps [command options] <container-id> [ps options]",
    .summary = "ps displays the processes running inside a container",
    .options = "   --format value, -f value  select one of: table or json (default: \"table\")\n",
};
