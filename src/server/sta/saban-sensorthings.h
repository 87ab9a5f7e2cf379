#pragma once

#include "saban-server.h"

G_BEGIN_DECLS

/* How far ahead of the server's clock an Observation's phenomenonTime may be. */
#define SABAN_STA_MAX_CLOCK_SKEW_S 300

/* What an inserted observation did to its Datastream's thresholds
 * (properties.alertLevel / dangerLevel), compared with the one before it. */
typedef enum
{
  SABAN_STA_CROSSED_NONE,
  SABAN_STA_CROSSED_ALERT,
  SABAN_STA_CROSSED_DANGER,
} SabanStaCrossing;

/* Answers a camera Thing's snapshot.png, or returns %FALSE when @thing_id
 * has none (the demo's simulator draws them; a real deployment proxies its
 * cameras). */
typedef gboolean (*SabanStaSnapshotFunc) (SabanRequest *req,
                                          gint64        thing_id);

void      saban_sta_register             (SabanServer      *server);
void      saban_sta_set_snapshot_func    (SabanStaSnapshotFunc func);
gboolean  saban_sta_insert_observation   (SabanStore       *store,
                                          gint64            datastream_id,
                                          const char       *phenomenon_time,
                                          double            result,
                                          gint64           *id,
                                          SabanStaCrossing *crossing,
                                          GError          **error);
void      saban_sta_observation_announce  (SabanServer     *server,
                                          gint64           id);
void      saban_sta_observation_committed (SabanServer     *server,
                                           gint64           id,
                                           SabanStaCrossing crossing);
void      saban_sta_publish_entity       (SabanServer      *server,
                                          const char       *set,
                                          gint64            id,
                                          const char       *topic);

G_END_DECLS
