#pragma once

#include "saban-server.h"

G_BEGIN_DECLS

#define SABAN_CRS84 "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#define SABAN_LIMIT_DEFAULT 10
#define SABAN_LIMIT_MAX     10000

/* The parameters every /items request shares, validated. */
typedef struct
{
  guint     limit;
  guint     offset;
  gboolean  has_bbox;
  double    bbox[4];
  gboolean  has_datetime;
  char     *start;   /* normalised like saban_store_now(); NULL = open */
  char     *end;
} SabanItemsQuery;

gboolean   saban_items_query_parse   (SabanRequest          *req,
                                      const char *const     *extra_params,
                                      SabanItemsQuery       *q);
void       saban_items_query_clear   (SabanItemsQuery       *q);
char      *saban_items_links_json    (const char            *base_url,
                                      const char            *path,
                                      GHashTable            *query,
                                      const SabanItemsQuery *q,
                                      guint                  returned,
                                      gint64                 matched);
gboolean   saban_parse_fid           (const char            *text,
                                      gint64                *fid);
char      *saban_normalise_time      (const char            *text,
                                      gboolean               end_of_day);
gboolean   saban_ogc_register        (SabanServer           *server,
                                      const char            *gpkg_path,
                                      GError               **error);
void       saban_ogc_close_datasets  (void);

G_END_DECLS
