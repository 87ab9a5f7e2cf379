#pragma once

#include "saban-server.h"

G_BEGIN_DECLS

#define SABAN_CAP_NS "urn:oasis:names:tc:emergency:cap:1.2"
#define SABAN_CAP_CIRCLE_POINTS 17   /* 16 sides, closed */
#define SABAN_CAP_MAX_POINTS 256

/* One CAP 1.2 alert with one <info> and one <area>, as the IOC issues them. */
typedef struct
{
  const char *status;       /* NULL: Actual */
  const char *msg_type;     /* NULL: Alert */
  const char *category, *event, *urgency, *severity, *certainty;
  const char *headline, *description, *instruction;
  const char *area_desc;
  const char *expires;      /* RFC 3339 or NULL */
  double      polygon[2 * SABAN_CAP_MAX_POINTS];  /* lon, lat pairs; closed ring */
  guint       n_points;
} SabanCapAlert;

void    saban_cap_circle    (double       *lonlat,
                             double        lon,
                             double        lat,
                             double        radius_m);
gint64  saban_cap_create    (SabanServer  *server,
                             const SabanCapAlert *alert,
                             const char   *actor,
                             char        **identifier,
                             GError      **error);
void    saban_cap_register  (SabanServer  *server);

G_END_DECLS
