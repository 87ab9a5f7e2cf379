/* saban-datagen-planning.h — the demo's planning decisions, dossiers and drawing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdal.h>
#include <glib.h>
#include <ogr_srs_api.h>

G_BEGIN_DECLS

/* What every table of the demo says it is (gpkg_contents.description). */
#define SABAN_DATAGEN_SYNTHETIC_NOTE "Dữ liệu minh họa tổng hợp — không phải số liệu chính thức"

const char *saban_datagen_planning_decision_for (const char            *commune_code);
gboolean    saban_datagen_planning              (GDALDatasetH           ds,
                                                 OGRSpatialReferenceH   srs,
                                                 GError               **error);

G_END_DECLS
