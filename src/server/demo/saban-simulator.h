#pragma once

#include "saban-server.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SIMULATOR (saban_simulator_get_type ())
G_DECLARE_FINAL_TYPE (SabanSimulator, saban_simulator, SABAN, SIMULATOR, GObject)

SabanSimulator *saban_simulator_new      (SabanServer  *server,
                                          const char   *gpkg_path,
                                          guint32       seed,
                                          double        speed,
                                          GError      **error);
void            saban_simulator_start    (SabanSimulator *self);
void            saban_simulator_stop     (SabanSimulator *self);
gboolean        saban_simulator_snapshot (SabanRequest *req,
                                          gint64        thing_id);

G_END_DECLS
