/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The local control protocol between xlatd and xlatctl: one request line
 * per connection on a Unix stream socket that only root may open.
 *
 *   request:  "<command> [json]\n"   command: status | stats | reload
 *             "log verbose\n", "log brief\n"
 *   reply:    "ok\n" then the body, or "error <why>\n"; then EOF.
 *
 * The daemon formats the body (a table, or JSON with stable keys), so
 * the wire format has one definition.
 */
#ifndef XLATD_CONTROL_H
#define XLATD_CONTROL_H

#define CONTROL_SOCKET_PATH "/run/xlatd/xlatd.sock"
#define CONTROL_REQUEST_MAX 128

#endif
