/* fuzz-support.c: what every fuzz target shares. */
#include "fuzz-support.h"

/* Messages and info are the code's ordinary account of refused input, one
 * per run (millions in a session): dropped. A warning or critical is a
 * finding: written, then abort(), which libFuzzer catches and saves the
 * input for (G_DEBUG=fatal-criticals would stop with SIGTRAP, unsaved). */
static GLogWriterOutput
quiet_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  g_log_writer_default (level, fields, n_fields, data);
  abort ();
}

/**
 * fuzz_quiet_logs:
 *
 * Drops messages below warnings, so the fuzzer's own output stays readable,
 * and makes any warning or critical a crash the fuzzer saves.
 */
void
fuzz_quiet_logs (void)
{
  g_log_set_writer_func (quiet_writer, NULL, NULL);
}
