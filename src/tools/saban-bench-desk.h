/* saban-bench-desk.h — issue 13's window benchmarks (saban-bench-desk.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GOptionGroup *saban_bench_desk_options     (void);
int           saban_bench_desk_ui          (const char         *server_url,
                                            int                 runs,
                                            GError            **error);
int           saban_bench_feedback_scroll  (const char         *server_url,
                                            int                 frames,
                                            GError            **error);

/* saban-bench.c */
GSubprocess  *saban_bench_start_server     (const char         *dir,
                                            const char *const  *extra,
                                            char              **url,
                                            GError            **error);

G_END_DECLS
