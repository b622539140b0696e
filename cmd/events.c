/* events.c - `berth events [--stats] [--interval D] ID`: print the
 * container's cgroup stats as runc does, one JSON object a line:
 * {"type":"stats","id":ID,"data":{...}}, plus {"type":"oom","id":ID} when
 * an OOM kill happens. Without --stats it samples every interval until the
 * container stops. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "runtime/resources.h"
#include "runtime/stats_json.h"

/* Go-style duration: "5s", "500ms", "1m", "1.5s"; a bare number is seconds. */
static int parse_interval(const char *s, struct timespec *out)
{
	char *end;
	double v;
	double unit = 1.0;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v <= 0)
		return -1;
	if (!strcmp(end, "ms"))
		unit = 1e-3;
	else if (!strcmp(end, "s") || !*end)
		unit = 1.0;
	else if (!strcmp(end, "m"))
		unit = 60.0;
	else if (!strcmp(end, "h"))
		unit = 3600.0;
	else
		return -1;
	v *= unit;
	out->tv_sec = (time_t)v;
	out->tv_nsec = (long)((v - (double)out->tv_sec) * 1e9);
	return 0;
}

static void emit(const char *type, const char *id, const char *data)
{
	char *s = event_json(type, id, data);

	if (s) {
		printf("%s\n", s);
		fflush(stdout);
		free(s);
	}
}

static int run_events(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	static const struct option opts[] = {{"stats", no_argument, NULL, 's'},
					     {"interval", required_argument, NULL, 'i'},
					     {NULL, 0, NULL, 0}};
	struct timespec interval = {5, 0};
	bool stats_only = false, first = true;
	uint64_t last_oom = 0;
	struct runtime_opts ro;
	const char *id;
	int c, rc;

	while ((c = cli_getopt(argc, argv, "", opts)) != -1) {
		if (c == 's')
			stats_only = true;
		else if (c == 'i' && parse_interval(optarg, &interval) == 0)
			continue;
		else if (c == 'i')
			return berr_set(err, "invalid --interval \"%s\"", optarg);
		else
			return cli_usage_error(&cli_cmd_events, "flag provided but not defined");
	}
	rc = cli_require_args(&cli_cmd_events, argc, 1, "<container-id>");
	if (rc)
		return -rc;
	id = argv[optind];
	cli_runtime_opts(g, &ro);
	for (;;) {
		char *data;
		uint64_t oom;
		bool stopped;

		if (runtime_events_sample(&ro, id, &data, &oom, &stopped, err) < 0)
			return -1;
		if (stopped) {
			if (first)
				return berr_set(err, "container with id %s is not running", id);
			return 0;
		}
		if (!first && oom > last_oom)
			emit("oom", id, NULL);
		last_oom = oom;
		first = false;
		emit("stats", id, data);
		free(data);
		if (stats_only)
			return 0;
		struct timespec left = interval;
		while (nanosleep(&left, &left) < 0 && errno == EINTR)
			;
	}
}

const struct cli_command cli_cmd_events = {
    .name = "events",
    .run = run_events,
    .usage = "events [command options] <container-id>",
    .summary = "display container events such as OOM notifications, cpu, memory, and IO usage "
	       "statistics",
    .options = "   --interval value  set the stats collection interval (default: 5s)\n"
	       "   --stats           display the container's stats then exit\n",
};
