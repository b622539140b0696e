/* log.c - writes log lines as runc does: text "level=... msg=..." or one
 * JSON object per line {"level":"error","msg":"...","time":"..."}. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
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

/* The two-character escape both quoted forms share, or NULL. JSON adds
 * \b and \f, which Go's %q writes as \x08 and \x0c. */
static const char *short_escape(unsigned char c, bool json)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\t':
		return "\\t";
	case '\r':
		return "\\r";
	case '\b':
		return json ? "\\b" : NULL;
	case '\f':
		return json ? "\\f" : NULL;
	}
	return NULL;
}

/* The inside of a Go %q string, as logrus writes a quoted value: a line
 * stays one line and a reader can split on the closing quote. */
static void quote(const char *msg, char *out, size_t len)
{
	size_t o = 0;

	for (const unsigned char *c = (const unsigned char *)msg; *c && o + 5 < len; c++) {
		const char *esc = short_escape(*c, false);

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

/* Length of the UTF-8 sequence at c, 0 when it is not a valid one. */
static size_t utf8_length(const unsigned char *c)
{
	size_t n;
	unsigned min;
	unsigned cp;

	if (c[0] < 0x80)
		return 1;
	if ((c[0] & 0xe0) == 0xc0) {
		n = 2;
		min = 0x80;
		cp = c[0] & 0x1f;
	} else if ((c[0] & 0xf0) == 0xe0) {
		n = 3;
		min = 0x800;
		cp = c[0] & 0x0f;
	} else if ((c[0] & 0xf8) == 0xf0) {
		n = 4;
		min = 0x10000;
		cp = c[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((c[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (c[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* The inside of a JSON string, as jansson writes one: the short escapes,
 * \u00XX for the other controls. Bytes that are not UTF-8 become U+FFFD,
 * so a line is always valid JSON. */
static void json_escape(const char *msg, char *out, size_t len)
{
	size_t o = 0;
	const unsigned char *c = (const unsigned char *)msg;

	while (*c && o + 7 < len) {
		size_t n = utf8_length(c);
		const char *esc = n == 1 ? short_escape(*c, true) : NULL;

		if (n == 0) {
			memcpy(out + o, "\\ufffd", 6);
			o += 6;
			n = 1;
		} else if (esc) {
			memcpy(out + o, esc, 2);
			o += 2;
		} else if (*c < 0x20) {
			o += (size_t)snprintf(out + o, len - o, "\\u%04X", *c);
		} else {
			memcpy(out + o, c, n);
			o += n;
		}
		c += n;
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
		char escaped[3 * 1024 * 2];
		char line[sizeof(escaped) + 128];
		json_escape(msg, escaped, sizeof(escaped));
		int n = snprintf(line, sizeof(line),
				 "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n", level,
				 escaped, ts);
		if (n > 0)
			write_all(fd, line,
				  (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
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
