/* console.h - the container's pty: created inside the container from its
 * own devpts, the master handed over (console socket or run's proxy). */
#ifndef BERTH_CONSOLE_H
#define BERTH_CONSOLE_H

#include <stdbool.h>
#include <termios.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

/* In the child: open /dev/ptmx of the container, make the peer the
 * controlling terminal and stdio, apply consoleSize. Returns the master fd;
 * *slave_fd keeps the peer open (for /dev/console). */
int console_setup_child(const struct berth_process *p, int *slave_fd, struct berth_error *err);
/* A foreground pty (run -t, exec -t without a console socket) starts at
 * the caller's window size, set before the process runs (a resize after
 * it would race with its first look): unless process.consoleSize is set,
 * which then wins. Nothing when stdin is not a terminal. */
void console_size_from_caller(struct berth_process *p);
/* Send the master to a --console-socket listener (runc's protocol: one
 * message with the fd as SCM_RIGHTS and the pty name as payload). */
int console_send_to_socket(const char *socket_path, int master, struct berth_error *err);
/* Connect first (before anything is created) so a bad socket fails early. */
int console_socket_connect(const char *socket_path, struct berth_error *err);
int console_send_fd(int sock, int master, struct berth_error *err);
/* Put the caller's terminal (stdin) in raw mode for a foreground pty;
 * false when stdin is not a terminal. */
bool console_raw(struct termios *saved);
void console_restore(const struct termios *saved);
/* The window size of the terminal on from_fd, given to the pty too (a
 * foreground run or exec after SIGWINCH). */
void console_copy_winsize(int from_fd, int pty);

#endif
