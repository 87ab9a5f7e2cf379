/* saban-datagen-catalog.h — what the demo's keepers say of each layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdal.h>
#include <glib.h>

G_BEGIN_DECLS

gboolean saban_datagen_catalog (GDALDatasetH   ds,
                                GError       **error);

G_END_DECLS
