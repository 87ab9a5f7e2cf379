#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* libFuzzer's entry points, which every target defines. */
int  LLVMFuzzerInitialize   (int          *argc,
                             char       ***argv);
int  LLVMFuzzerTestOneInput (const guint8 *data,
                             size_t        size);

void fuzz_quiet_logs        (void);

G_END_DECLS
