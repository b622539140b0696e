/* json_writer.c - see json_writer.h. */
#include "json_writer.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(struct json_writer *w, const char *s, size_t n)
{
	if (w->failed)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		char *b;

		while (w->len + n + 1 > cap)
			cap *= 2;
		b = realloc(w->buf, cap);
		if (!b) {
			w->failed = true;
			return;
		}
		w->buf = b;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void puts_(struct json_writer *w, const char *s)
{
	put(w, s, strlen(s));
}

/* Before any value or key: the separator its place needs. */
static void sep(struct json_writer *w)
{
	if (w->after_key)
		w->after_key = false;
	else if (w->need_comma)
		put(w, ",", 1);
}

static void open_(struct json_writer *w, const char *c)
{
	sep(w);
	put(w, c, 1);
	w->need_comma = false;
}

static void close_(struct json_writer *w, const char *c)
{
	put(w, c, 1);
	w->need_comma = true;
}

void jw_begin_object(struct json_writer *w)
{
	open_(w, "{");
}

void jw_end_object(struct json_writer *w)
{
	close_(w, "}");
}

void jw_begin_array(struct json_writer *w)
{
	open_(w, "[");
}

void jw_end_array(struct json_writer *w)
{
	close_(w, "]");
}

/* Go's encoder: \" \\ \n \r \t short, other controls and <, >, &, U+2028,
 * U+2029 as \u escapes (HTML-safe, as json.Marshal writes them). */
static void quoted(struct json_writer *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];

	put(w, "\"", 1);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			put(w, esc, 2);
		} else if (*p == '\n') {
			puts_(w, "\\n");
		} else if (*p == '\r') {
			puts_(w, "\\r");
		} else if (*p == '\t') {
			puts_(w, "\\t");
		} else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			puts_(w, esc);
		} else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			puts_(w, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
			p += 2;
		} else {
			put(w, (const char *)p, 1);
		}
	}
	put(w, "\"", 1);
}

void jw_key(struct json_writer *w, const char *key)
{
	sep(w);
	quoted(w, key);
	put(w, ":", 1);
	w->after_key = true;
}

static void scalar(struct json_writer *w, const char *text)
{
	sep(w);
	puts_(w, text);
	w->need_comma = true;
}

void jw_u64(struct json_writer *w, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	scalar(w, num);
}

void jw_i64(struct json_writer *w, int64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRId64, v);
	scalar(w, num);
}

void jw_string(struct json_writer *w, const char *s)
{
	sep(w);
	quoted(w, s);
	w->need_comma = true;
}

void jw_null(struct json_writer *w)
{
	scalar(w, "null");
}

void jw_raw(struct json_writer *w, const char *json)
{
	scalar(w, json);
}

char *jw_finish(struct json_writer *w)
{
	char *text = w->failed ? NULL : w->buf;

	if (!text) {
		free(w->buf);
		text = w->failed ? NULL : strdup("");
	}
	*w = (struct json_writer)JSON_WRITER_INIT;
	return text;
}
