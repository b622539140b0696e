/* log.c - writes log lines as runc does: text "level=... msg=..." or one
 * JSON object per line {"level":"error","msg":"...","time":"..."}. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct log_sink {
	int fd; /* -1: stderr */
	enum log_format format;
	bool debug;
	bool detached; /* log_detach(): every line dropped */
};

static struct log_sink sink = {-1, LOG_FORMAT_TEXT, false, false};

void log_detach(void)
{
	if (sink.fd >= 0)
		close(sink.fd);
	sink.fd = -1;
	sink.debug = false;
	sink.detached = true;
}

int log_init(const char *path, enum log_format format, bool debug)
{
	sink.format = format;
	sink.debug = debug;
	if (path && *path) {
		int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			return -1;
		sink.fd = fd;
	}
	return 0;
}

bool log_debug_enabled(void)
{
	return sink.debug;
}

int log_fd(void)
{
	return sink.fd;
}

bool log_to_file(void)
{
	return sink.fd >= 0;
}

enum log_format log_current_format(void)
{
	return sink.format;
}

static void timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0 || !gmtime_r(&ts.tv_sec, &tm)) {
		snprintf(buf, len, "1970-01-01T00:00:00Z");
		return;
	}
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09ldZ", ts.tv_nsec);
}

static void write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, s, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return; /* nowhere left to report a failed log write */
		}
		s += w;
		len -= (size_t)w;
	}
}

/* The inside of a Go %q string, as logrus writes a quoted value: a line
 * stays one line and a reader can split on the closing quote. */
static void quote(const char *msg, char *out, size_t len)
{
	size_t o = 0;

	for (const unsigned char *c = (const unsigned char *)msg; *c && o + 5 < len; c++) {
		const char *esc = NULL;
		switch (*c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\r':
			esc = "\\r";
			break;
		}
		if (esc) {
			memcpy(out + o, esc, 2);
			o += 2;
		} else if (*c < 0x20 || *c == 0x7f) {
			o += (size_t)snprintf(out + o, len - o, "\\x%02x", *c);
		} else {
			out[o++] = (char)*c;
		}
	}
	out[o] = '\0';
}

static void emit(const char *level, const char *msg)
{
	char ts[64];
	int fd = sink.fd >= 0 ? sink.fd : STDERR_FILENO;

	if (sink.detached)
		return;

	timestamp(ts, sizeof(ts));
	if (sink.format == LOG_FORMAT_JSON) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", ts);
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (s) {
			write_all(fd, s, strlen(s));
			write_all(fd, "\n", 1);
		}
		free(s);
		json_decref(o);
		return;
	}
	char quoted[3072];
	char line[3200];
	quote(msg, quoted, sizeof(quoted));
	int n =
	    snprintf(line, sizeof(line), "time=\"%s\" level=%s msg=\"%s\"\n", ts, level, quoted);
	if (n > 0)
		write_all(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static void vlog(const char *level, const char *fmt, va_list ap)
{
	char msg[1536];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	emit(level, msg);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!sink.debug)
		return;
	va_start(ap, fmt);
	vlog("debug", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning", fmt, ap);
	va_end(ap);
}

void log_error(const char *msg)
{
	emit("error", msg);
}
