/* saban-datagen-indicators.h — the demo's socio-economic indicators
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SABAN_DATAGEN_DEFINITIONS_CSV "indicator-definitions.csv"
#define SABAN_DATAGEN_VALUES_CSV      "indicator-values.csv"
#define SABAN_DATAGEN_INDICATOR_MONTHS 24

gboolean saban_datagen_indicators (const char   *dir,
                                   guint64       seed,
                                   const gint64 *populations,
                                   int           year,
                                   int           month,
                                   GError      **error);

G_END_DECLS
