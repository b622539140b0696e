/* list.c - `berth list [-f table|json] [-q]`: the containers under --root. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "runtime/container.h"

struct row {
	char *cols[6];
};

static void free_rows(struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < 6; j++)
			free(rows[i].cols[j]);
	free(rows);
}

/* Like Go's tabwriter with minwidth 12 and padding 3, as runc prints it. */
static void print_table(struct row *rows, size_t n)
{
	static const char *const head[6] = {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"};
	size_t w[6];

	for (int j = 0; j < 6; j++) {
		w[j] = strlen(head[j]);
		for (size_t i = 0; i < n; i++)
			if (strlen(rows[i].cols[j]) > w[j])
				w[j] = strlen(rows[i].cols[j]);
		w[j] += 3;
		if (w[j] < 12)
			w[j] = 12;
	}
	for (int j = 0; j < 6; j++)
		printf("%-*s%s", j < 5 ? (int)w[j] : 0, head[j], j < 5 ? "" : "\n");
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < 6; j++)
			printf("%-*s%s", j < 5 ? (int)w[j] : 0, rows[i].cols[j], j < 5 ? "" : "\n");
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_list(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"quiet", no_argument, NULL, 'q'},
					     {NULL, 0, NULL, 0}};
	const char *format = "table";
	bool quiet = false;
	int c;

	while ((c = cli_getopt(argc, argv, "f:q", opts)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'q')
			quiet = true;
		else
			return cli_usage_error(&cli_cmd_list, "flag provided but not defined");
	}
	if (strcmp(format, "table") && strcmp(format, "json"))
		return berr_set(err, "invalid format option");
	DIR *d = opendir(g->root);
	char **names = NULL;
	size_t n = 0, cap = 0;
	if (!d && errno != ENOENT)
		return berr_sys(err, errno, "open %s", g->root);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof(*names));
			if (!nn)
				break;
			names = nn;
		}
		names[n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	json_t *arr = json_array();
	struct row *rows = calloc(n ? n : 1, sizeof(*rows));
	size_t nr = 0;
	for (size_t i = 0; i < n; i++) {
		struct container *ct;
		struct berth_error ignored;
		if (container_open(g->root, names[i], false, &ct, &ignored) < 0)
			continue;
		json_t *o = container_state_object(ct);
		container_close(ct);
		if (!o)
			continue;
		struct row *r = &rows[nr++];
		char pid[32];
		snprintf(pid, sizeof(pid), "%lld",
			 (long long)json_integer_value(json_object_get(o, "pid")));
		r->cols[0] = strdup(names[i]);
		r->cols[1] = strdup(pid);
		r->cols[2] = strdup(json_string_value(json_object_get(o, "status")));
		r->cols[3] = strdup(json_string_value(json_object_get(o, "bundle")));
		r->cols[4] = strdup(json_string_value(json_object_get(o, "created")));
		r->cols[5] = strdup(json_string_value(json_object_get(o, "owner")));
		json_array_append_new(arr, o);
	}
	if (quiet) {
		for (size_t i = 0; i < nr; i++)
			printf("%s\n", rows[i].cols[0]);
	} else if (strcmp(format, "json") == 0) {
		char *s = nr ? json_dumps(arr, JSON_COMPACT) : NULL;
		printf("%s\n", s ? s : "null");
		free(s);
	} else {
		print_table(rows, nr);
	}
	json_decref(arr);
	free_rows(rows, nr);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}

const struct cli_command cli_cmd_list = {
    .name = "list",
    .run = run_list,
    .usage = "list [command options]",
    .summary = "lists containers started by berth with the given root",
    .options = "   --format value, -f value  select one of: table or json (default: \"table\")\n"
	       "   --quiet, -q               display only container IDs\n",
};
