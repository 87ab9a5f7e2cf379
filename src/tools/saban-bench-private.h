#pragma once

/* What saban-bench.c shares with its subcommands in other files. */

#include "saban-map-view.h"

typedef struct
{
  double p50, p95, max;   /* frame intervals, ms */
  double sharp_ms;        /* from the last step to every tile drawn */
  double cpu_per_frame;   /* the process's CPU (GTK, llvmpipe, tile threads) a frame, ms */
  guint  missed;          /* intervals over 1.5 of a 60 Hz period: a frame the display showed late */
} PanFigures;

extern char *opt_input;
extern int opt_runs;
extern int opt_warmup;

double   now            (void);
double   median         (GArray       *samples);
double   proc_status_mb (const char   *key);
gboolean keep_awake     (gpointer      user_data);
void     pan_measure    (SabanMapView *view,
                         double        lat,
                         double        lon,
                         PanFigures   *out);

/* saban-bench-raster.c */
int      cmd_raster     (GError      **error);
