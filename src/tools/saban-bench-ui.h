#pragma once

#include <glib.h>

G_BEGIN_DECLS

int saban_bench_ui_idle    (int      seconds,
                            GError **error);
int saban_bench_ui_session (GError **error);

G_END_DECLS
