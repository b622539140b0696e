/* config_decode.c - turn config.json bytes into a jansson tree, keeping uint64s.
 *
 * jansson stores integers as signed 64-bit and refuses larger ones, but the
 * spec has uint64 fields that real configs fill with values above INT64_MAX
 * (rlimits set to RLIM_INFINITY = 18446744073709551615, seccomp masks).
 * When a document holds such a number, we rewrite each one into a string
 * "\u0000<digits>" before decoding; the leading NUL cannot occur in a real
 * string of the document (we refuse "\u0000" escapes in that case), so the
 * uint64 getter can tell the two apart and every other getter rejects it as
 * a number of the wrong type. Documents without big numbers (nearly all)
 * are decoded in place, after one linear scan.
 *
 * Must never accept a document that jansson alone would reject for any
 * reason other than a number in (INT64_MAX, UINT64_MAX]. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config_json.h"

/* Digits of a JSON integer token in (INT64_MAX, UINT64_MAX], without a
 * leading zero (that would be invalid JSON, which must stay invalid). */
static bool is_big_uint(const char *s, size_t n)
{
	if (n < 19 || n > 20 || s[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (n == 19)
		return memcmp(s, "9223372036854775807", 19) > 0;
	return memcmp(s, "18446744073709551615", 20) <= 0;
}

static bool is_number_char(char c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

struct scan {
	size_t n_big;
	bool has_nul_escape;
};

/* Walk tokens outside strings; when out is non-NULL, also copy the document
 * there with big numbers rewritten. Returns the output length. */
static size_t scan_doc(const char *d, size_t len, struct scan *sc, char *out)
{
	bool in_str = false;
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = d[i];

		if (in_str) {
			if (c == '\\' && i + 1 < len) {
				if (i + 5 < len && memcmp(d + i + 1, "u0000", 5) == 0)
					sc->has_nul_escape = true;
				if (out)
					out[o++] = c;
				c = d[++i];
			} else if (c == '"') {
				in_str = false;
			}
			if (out)
				out[o++] = c;
			continue;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			size_t start = i;

			while (i < len && is_number_char(d[i]))
				i++;
			if (is_big_uint(d + start, i - start)) {
				sc->n_big++;
				if (out) {
					memcpy(out + o, "\"\\u0000", 7);
					o += 7;
					memcpy(out + o, d + start, i - start);
					o += i - start;
					out[o++] = '"';
				}
			} else if (out) {
				memcpy(out + o, d + start, i - start);
				o += i - start;
			}
			i--;
			continue;
		}
		if (out)
			out[o++] = c;
	}
	return o;
}

static json_t *load(const char *data, size_t len, size_t flags, struct berth_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES | flags, &jerr);

	if (!root) {
		berr_set(err, "invalid JSON at line %d, column %d: %s", jerr.line, jerr.column,
			 jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		char buf[64];

		berr_set(err, "expected a JSON object at the top level, got %s",
			 cj_describe(root, buf, sizeof(buf)));
		json_decref(root);
		return NULL;
	}
	return root;
}

json_t *cj_decode(const char *data, size_t len, struct berth_error *err)
{
	struct scan sc = {0};

	if (!data)
		return berr_set(err, "no document"), NULL;
	if (len > CJ_MAX_DOC_BYTES)
		return berr_set(err, "document is larger than %u bytes", CJ_MAX_DOC_BYTES), NULL;
	scan_doc(data, len, &sc, NULL);
	if (sc.n_big == 0)
		return load(data, len, 0, err);
	if (sc.has_nul_escape)
		return berr_set(err, "invalid JSON: \\u0000 in a string is not allowed"), NULL;

	/* Each rewrite adds 8 bytes: the quotes and the \u0000 escape. */
	char *copy = malloc(len + sc.n_big * 8);
	if (!copy)
		return berr_sys(err, ENOMEM, "decode"), NULL;
	struct scan again = {0};
	size_t n = scan_doc(data, len, &again, copy);
	json_t *root = load(copy, n, JSON_ALLOW_NUL, err);
	free(copy);
	return root;
}
