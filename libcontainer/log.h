/* log.h - debug/warning/error lines in runc's text or JSON form.
 *
 * The sink is chosen once by cmd/ (stderr or --log FILE, text or json).
 * This is the only process-wide mutable state berth keeps: a CLI run has
 * one log. Library code uses log_debug()/log_warn(); errors travel as
 * struct berth_error and are logged once by cmd/ with log_error(). */
#ifndef BERTH_LOG_H
#define BERTH_LOG_H

#include <stdbool.h>

enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JSON };

/* path may be NULL (stderr). Returns -1 with errno set when the file can't be opened. */
int log_init(const char *path, enum log_format format, bool debug);
bool log_debug_enabled(void);
/* The fd log lines go to (for children that must keep logging), -1 for stderr. */
int log_fd(void);
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log an error line; with a log file this goes to the file, and cmd/ also
 * prints "berth: msg" to stderr. */
void log_error(const char *msg);
bool log_to_file(void);
/* The container init, once its parent is gone: close the --log file and
 * drop any later line, so that a created container holds no fd of the
 * log's (engines always pass --log). */
void log_detach(void);
enum log_format log_current_format(void);

#endif
