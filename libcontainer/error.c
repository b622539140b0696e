/* error.c - building the messages of struct berth_error. */
#include "error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static void vset(struct berth_error *err, const char *fmt, va_list ap)
{
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int berr_set(struct berth_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->errnum = 0;
	err->reason = 0;
	va_start(ap, fmt);
	vset(err, fmt, ap);
	va_end(ap);
	return -1;
}

int berr_sys(struct berth_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (!err)
		return -1;
	err->errnum = errnum;
	err->reason = 0;
	va_start(ap, fmt);
	vset(err, fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	/* Lower-case like Go's errno texts: engines match runc's "no such process". */
	snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(errnum));
	if (len + 2 < sizeof(err->msg))
		err->msg[len + 2] = (char)tolower((unsigned char)err->msg[len + 2]);
	return -1;
}

int berr_prefix(struct berth_error *err, const char *fmt, ...)
{
	char prefix[BERR_MSG_MAX];
	char old[BERR_MSG_MAX];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	size_t plen = strnlen(prefix, sizeof(err->msg) - 3);
	memcpy(err->msg, prefix, plen);
	memcpy(err->msg + plen, ": ", 2);
	size_t rest = sizeof(err->msg) - plen - 3;
	size_t olen = strnlen(old, rest);
	memcpy(err->msg + plen + 2, old, olen);
	err->msg[plen + 2 + olen] = '\0';
	return -1;
}

void berr_clear(struct berth_error *err)
{
	if (!err)
		return;
	err->errnum = 0;
	err->reason = 0;
	err->msg[0] = '\0';
}

int berr_reason(struct berth_error *err, int reason)
{
	err->reason = reason;
	return -1;
}
