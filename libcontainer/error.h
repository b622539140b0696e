/* error.h - the one error convention of berth.
 *
 * Every fallible function takes a `struct berth_error *err` last, returns a
 * negative value (or NULL) on failure and fills `err` once. Callers add
 * context on the way up with berr_prefix(). Only cmd/ prints, once.
 * Library code never calls exit() and never prints. */
#ifndef BERTH_ERROR_H
#define BERTH_ERROR_H

#include <stdarg.h>

#define BERR_MSG_MAX 1024

struct berth_error {
	int errnum; /* errno of the root cause, 0 when not a syscall failure */
	/* A typed reason where the answer is a flag only cmd/ may name, 0: none.
	 * libcontainer's are below 100 (the header of the module that sets
	 * one names it), runtime's from 100 (runtime/lifecycle.h). */
	int reason;
	char msg[BERR_MSG_MAX]; /* "what: why", without the "berth: " prefix */
};

/* Set a message without errno. Returns -1 so callers can `return berr_set(...)`. */
int berr_set(struct berth_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Set "<fmt>: strerror(errnum)" and remember errnum. Returns -1. */
int berr_sys(struct berth_error *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prepend "<fmt>: " to the existing message. Returns -1. */
int berr_prefix(struct berth_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void berr_clear(struct berth_error *err);
/* Tag the error already set with a reason. Returns -1. */
int berr_reason(struct berth_error *err, int reason);

#endif
