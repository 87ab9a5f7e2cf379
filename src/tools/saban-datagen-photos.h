/* saban-datagen-photos.h — the demo citizens' reports' photos
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean saban_datagen_photos (const char *dir,
                               guint64     seed,
                               GError    **error);

G_END_DECLS
