/* berth-systemd - the sd-bus client of berth's systemd cgroup driver.
 *
 *   berth-systemd [--user] start UNIT   < properties   (prints the ControlGroup)
 *   berth-systemd [--user] set UNIT     < properties
 *   berth-systemd [--user] stop UNIT
 *
 * Properties are "Name\ttype\tvalue" lines (libcontainer/cgroups/
 * systemd_props.c writes them): types b s t x u i q n y d, "au" (a comma
 * list), "ay" (hex bytes) and "a(ss)" ("path access" pairs separated by
 * ';'). start asks systemd for a transient unit (StartTransientUnit) and
 * waits for its job; stop stops the unit (a missing unit is fine) and
 * clears a failed state. Errors go to stderr as one line, exit status 1.
 *
 * A program of its own because berth is linked statically and libsystemd
 * has no static library: only the systemd driver pays for loading it. It
 * talks to the manager only; it never touches a cgroup file. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#define SD_DEST	   "org.freedesktop.systemd1"
#define SD_PATH	   "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define JOB_TIMEOUT_USEC (30ULL * 1000000ULL)

static const char *unit_name;

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static const char *bus_why(const sd_bus_error *e, int r)
{
	return e && sd_bus_error_is_set(e) && e->message ? e->message : strerror(-r);
}

/* root: systemd's private socket (no dbus-daemon needed, as systemctl
 * does), else the system bus; --user: the caller's user manager. */
static int open_bus(bool user, sd_bus **bus)
{
	int r;

	if (user) {
		r = sd_bus_open_user(bus);
		if (r < 0)
			return fail("connect to the user's systemd (session bus): %s; is a user "
				    "session running (loginctl enable-linger)?",
				    strerror(-r));
		return 0;
	}
	r = sd_bus_new(bus);
	if (r >= 0 && access("/run/systemd/private", F_OK) == 0 &&
	    sd_bus_set_address(*bus, "unix:path=/run/systemd/private") >= 0 &&
	    sd_bus_start(*bus) >= 0)
		return 0;
	if (*bus)
		*bus = sd_bus_unref(*bus);
	r = sd_bus_open_system(bus);
	if (r < 0)
		return fail("connect to systemd (system bus): %s", strerror(-r));
	return 0;
}

static int parse_hex(const char *s, uint8_t **out, size_t *n)
{
	size_t len = strlen(s);

	if (len % 2)
		return -EINVAL;
	*out = malloc(len / 2 + 1);
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < len / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -EINVAL;
		(*out)[i] = (uint8_t)v;
	}
	*n = len / 2;
	return 0;
}

static int append_value(sd_bus_message *m, const char *type, char *val)
{
	char *end = NULL;
	int r;

	errno = 0;
	if (!strcmp(type, "b"))
		return sd_bus_message_append(m, "b", (int)!strcmp(val, "true"));
	if (!strcmp(type, "s"))
		return sd_bus_message_append(m, "s", val);
	if (!strcmp(type, "d"))
		return sd_bus_message_append(m, "d", strtod(val, NULL));
	if (strlen(type) == 1 && strchr("tuqy", type[0])) {
		uint64_t v = strtoull(val, &end, 10);
		if (!*val || *end || errno)
			return -EINVAL;
		switch (type[0]) {
		case 't':
			return sd_bus_message_append(m, "t", v);
		case 'u':
			return sd_bus_message_append(m, "u", (uint32_t)v);
		case 'q':
			return sd_bus_message_append(m, "q", (uint16_t)v);
		default:
			return sd_bus_message_append(m, "y", (uint8_t)v);
		}
	}
	if (strlen(type) == 1 && strchr("xin", type[0])) {
		int64_t v = strtoll(val, &end, 10);
		if (!*val || *end || errno)
			return -EINVAL;
		if (type[0] == 'x')
			return sd_bus_message_append(m, "x", v);
		if (type[0] == 'i')
			return sd_bus_message_append(m, "i", (int32_t)v);
		return sd_bus_message_append(m, "n", (int16_t)v);
	}
	if (!strcmp(type, "au")) {
		r = sd_bus_message_open_container(m, 'a', "u");
		for (char *save = NULL, *t = strtok_r(val, ",", &save); r >= 0 && t;
		     t = strtok_r(NULL, ",", &save))
			r = sd_bus_message_append(m, "u", (uint32_t)strtoul(t, NULL, 10));
		return r < 0 ? r : sd_bus_message_close_container(m);
	}
	if (!strcmp(type, "as")) {
		r = sd_bus_message_open_container(m, 'a', "s");
		for (char *save = NULL, *t = strtok_r(val, ",", &save); r >= 0 && t;
		     t = strtok_r(NULL, ",", &save))
			r = sd_bus_message_append(m, "s", t);
		return r < 0 ? r : sd_bus_message_close_container(m);
	}
	if (!strcmp(type, "ay")) {
		uint8_t *bytes = NULL;
		size_t n = 0;
		r = parse_hex(val, &bytes, &n);
		if (r >= 0)
			r = sd_bus_message_append_array(m, 'y', bytes, n);
		free(bytes);
		return r;
	}
	if (!strcmp(type, "a(ss)")) {
		r = sd_bus_message_open_container(m, 'a', "(ss)");
		for (char *save = NULL, *t = strtok_r(val, ";", &save); r >= 0 && t;
		     t = strtok_r(NULL, ";", &save)) {
			char *sp = strrchr(t, ' ');
			if (!sp)
				return -EINVAL;
			*sp = '\0';
			r = sd_bus_message_append(m, "(ss)", t, sp + 1);
		}
		return r < 0 ? r : sd_bus_message_close_container(m);
	}
	return -EOPNOTSUPP;
}

/* The a(sv) of properties from stdin. */
static int append_properties(sd_bus_message *m)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int r = sd_bus_message_open_container(m, 'a', "(sv)");

	while (r >= 0 && (len = getline(&line, &cap, stdin)) > 0) {
		char *name = line, *type, *val;

		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (!*line)
			continue;
		type = strchr(name, '\t');
		val = type ? strchr(type + 1, '\t') : NULL;
		if (!val) {
			free(line);
			return fail("property line \"%s\": expected name, type and value", name);
		}
		*type++ = '\0';
		*val++ = '\0';
		r = sd_bus_message_open_container(m, 'r', "sv");
		if (r >= 0)
			r = sd_bus_message_append(m, "s", name);
		if (r >= 0)
			r = sd_bus_message_open_container(m, 'v', type);
		if (r >= 0)
			r = append_value(m, type, val);
		if (r >= 0)
			r = sd_bus_message_close_container(m);
		if (r >= 0)
			r = sd_bus_message_close_container(m);
		if (r < 0) {
			fail("property %s (%s) \"%s\": %s", name, type, val, strerror(-r));
			free(line);
			return 1;
		}
	}
	free(line);
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	return r < 0 ? fail("properties: %s", strerror(-r)) : 0;
}

struct job_wait {
	const char *path; /* the job we wait for; NULL until known */
	char *result;	  /* its result once removed */
	char **removed;	  /* jobs removed before we knew ours: path, result pairs */
	size_t n_removed;
};

static int on_job_removed(sd_bus_message *m, void *data, sd_bus_error *e)
{
	struct job_wait *w = data;
	const char *path, *unit, *result;
	uint32_t id;
	char **grown;

	(void)e;
	if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
		return 0;
	if (w->path) {
		if (!strcmp(path, w->path) && !w->result)
			w->result = strdup(result);
		return 0;
	}
	grown = realloc(w->removed, (w->n_removed + 2) * sizeof(*grown));
	if (!grown)
		return 0;
	w->removed = grown;
	w->removed[w->n_removed++] = strdup(path);
	w->removed[w->n_removed++] = strdup(result);
	return 0;
}

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

static int wait_job(sd_bus *bus, struct job_wait *w, const char *what)
{
	uint64_t deadline = now_usec() + JOB_TIMEOUT_USEC;

	for (size_t i = 0; i + 1 < w->n_removed; i += 2)
		if (w->removed[i] && !strcmp(w->removed[i], w->path) && w->removed[i + 1])
			w->result = strdup(w->removed[i + 1]);
	while (!w->result) {
		int r = sd_bus_process(bus, NULL);
		uint64_t now;

		if (r < 0)
			return fail("%s unit %s: lost the connection to systemd: %s", what,
				    unit_name, strerror(-r));
		if (r > 0)
			continue;
		now = now_usec();
		if (now >= deadline)
			return fail("%s unit %s: systemd did not finish the job within %llu s", what,
				    unit_name, JOB_TIMEOUT_USEC / 1000000ULL);
		r = sd_bus_wait(bus, deadline - now);
		if (r < 0)
			return fail("%s unit %s: wait for systemd: %s", what, unit_name,
				    strerror(-r));
	}
	if (strcmp(w->result, "done") != 0)
		return fail("%s unit %s: systemd's job ended with result \"%s\" (see journalctl "
			    "-u %s)",
			    what, unit_name, w->result, unit_name);
	return 0;
}

static int subscribe(sd_bus *bus, struct job_wait *w)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r = sd_bus_match_signal(bus, NULL, SD_DEST, SD_PATH, SD_MANAGER, "JobRemoved",
				    on_job_removed, w);

	if (r < 0)
		return fail("watch systemd's jobs: %s", strerror(-r));
	/* a private connection gets signals only once subscribed */
	r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "Subscribe", &e, NULL, NULL);
	if (r < 0 && !sd_bus_error_has_name(&e, "org.freedesktop.systemd1.AlreadySubscribed")) {
		fail("subscribe to systemd's signals: %s", bus_why(&e, r));
		sd_bus_error_free(&e);
		return 1;
	}
	sd_bus_error_free(&e);
	return 0;
}

static int print_cgroup(sd_bus *bus)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *obj;
	char *cg = NULL;
	const char *iface = strstr(unit_name, ".slice") ? "org.freedesktop.systemd1.Slice"
							: "org.freedesktop.systemd1.Scope";
	int r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "GetUnit", &e, &reply, "s",
				   unit_name);

	if (r >= 0)
		r = sd_bus_message_read(reply, "o", &obj);
	if (r >= 0)
		r = sd_bus_get_property_string(bus, SD_DEST, obj, iface, "ControlGroup", &e, &cg);
	if (r < 0) {
		fail("unit %s: read its ControlGroup: %s", unit_name, bus_why(&e, r));
		sd_bus_error_free(&e);
		sd_bus_message_unref(reply);
		return 1;
	}
	printf("%s\n", cg);
	free(cg);
	sd_bus_message_unref(reply);
	return 0;
}

static int start_unit(sd_bus *bus, struct job_wait *w)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL, *reply = NULL;
	const char *job;
	int r = sd_bus_message_new_method_call(bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
					       "StartTransientUnit");

	if (r >= 0)
		r = sd_bus_message_append(m, "ss", unit_name, "replace");
	if (r < 0)
		return fail("StartTransientUnit: %s", strerror(-r));
	if (append_properties(m))
		return 1;
	r = sd_bus_message_append(m, "a(sa(sv))", 0);
	if (r >= 0)
		r = sd_bus_call(bus, m, 0, &e, &reply);
	if (r >= 0)
		r = sd_bus_message_read(reply, "o", &job);
	if (r < 0) {
		if (sd_bus_error_has_name(&e, "org.freedesktop.systemd1.UnitExists"))
			fail("start unit %s: it already exists (another container with this "
			     "cgroupsPath, or one left behind: systemctl stop %s)",
			     unit_name, unit_name);
		else
			fail("start unit %s: %s", unit_name, bus_why(&e, r));
		sd_bus_error_free(&e);
		return 1;
	}
	w->path = job;
	if (wait_job(bus, w, "start"))
		return 1;
	return print_cgroup(bus);
}

static int set_unit(sd_bus *bus)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL;
	int r = sd_bus_message_new_method_call(bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
					       "SetUnitProperties");

	if (r >= 0)
		r = sd_bus_message_append(m, "sb", unit_name, 1);
	if (r < 0)
		return fail("SetUnitProperties: %s", strerror(-r));
	if (append_properties(m))
		return 1;
	r = sd_bus_call(bus, m, 0, &e, NULL);
	if (r < 0) {
		fail("set properties of unit %s: %s", unit_name, bus_why(&e, r));
		sd_bus_error_free(&e);
		return 1;
	}
	return 0;
}

static int stop_unit(sd_bus *bus, struct job_wait *w)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *job;
	int r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "StopUnit", &e, &reply, "ss",
				   unit_name, "replace");

	if (r >= 0)
		r = sd_bus_message_read(reply, "o", &job);
	if (r < 0) {
		bool gone = sd_bus_error_has_name(&e, "org.freedesktop.systemd1.NoSuchUnit");
		if (!gone)
			fail("stop unit %s: %s", unit_name, bus_why(&e, r));
		sd_bus_error_free(&e);
		return gone ? 0 : 1;
	}
	w->path = job;
	r = wait_job(bus, w, "stop");
	/* a unit that failed stays listed until reset; nothing of it should */
	sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "ResetFailedUnit", NULL, NULL, "s",
			   unit_name);
	return r;
}

int main(int argc, char **argv)
{
	struct job_wait w = {0};
	sd_bus *bus = NULL;
	bool user = false;
	int i = 1, rc;

	if (i < argc && !strcmp(argv[i], "--user")) {
		user = true;
		i++;
	}
	if (argc - i != 2)
		return fail("usage: berth-systemd [--user] start|set|stop UNIT "
			    "(properties on stdin)"),
		       2;
	unit_name = argv[i + 1];
	if (open_bus(user, &bus))
		return 1;
	if (!strcmp(argv[i], "set"))
		rc = set_unit(bus);
	else if (!strcmp(argv[i], "start"))
		rc = subscribe(bus, &w) || start_unit(bus, &w);
	else if (!strcmp(argv[i], "stop"))
		rc = subscribe(bus, &w) || stop_unit(bus, &w);
	else
		rc = fail("unknown command \"%s\" (start, set, stop)", argv[i]);
	sd_bus_flush_close_unref(bus);
	return rc ? 1 : 0;
}
