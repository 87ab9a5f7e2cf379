#pragma once

/* saban-sta-query.h: the SensorThings entity model and what a request asks
 * of it ($filter, $orderby, $select, $expand, $top, $skip, $count), parsed,
 * checked and compiled to SQL. Private to src/server/sta, except
 * saban_sta_query_parse(), which takes a whole query string as a caller sent
 * it (the fuzzers' entry point). */

#include <gio/gio.h>
#include <sqlite3.h>

#include "saban-store.h"

G_BEGIN_DECLS

typedef enum { K_TEXT, K_NUM, K_JSON, K_TIME, K_POINT, K_CONST } Kind;

typedef struct
{
  const char *name;
  const char *column;  /* K_POINT: unused (lon, lat); K_CONST: the value */
  Kind        kind;
} Prop;

typedef struct
{
  const char *name;
  int         target;
  gboolean    single;
  /* the target rows of a parent: %1$s = target alias, %2$s = parent id expression */
  const char *where;
} Nav;

enum { THINGS, LOCATIONS, HISTLOCS, DATASTREAMS, SENSORS, OBSPROPS, OBSERVATIONS, FOIS, N_SETS };

typedef struct
{
  const char *name;
  const char *table;
  Prop        props[7];
  Nav         navs[5];
} EntitySet;

extern const EntitySet saban_sta_sets[N_SETS];

#define SABAN_STA_TOP_DEFAULT      100
#define SABAN_STA_TOP_MAX          10000
/* navigation steps from the entities asked for to the deepest expanded ones */
#define SABAN_STA_EXPAND_DEPTH_MAX 4
/* The most entities one request may produce, counted before it runs as the
 * worst case of its $top and $expand: each expanded collection may bring its
 * $top (default 100) for every entity above it, so the cost is the sum over
 * every expansion path of the product of the $tops along it. */
#define SABAN_STA_MAX_ENTITIES     200000

typedef struct _Query Query;

typedef struct
{
  const Nav *nav;
  Query     *q;
} Expand;

struct _Query
{
  int        set;
  guint      top, skip;
  gboolean   count;
  char      *filter;
  char      *orderby;
  char     **select;   /* NULL: everything */
  GPtrArray *expand;   /* of Expand */
};

int         saban_sta_find_set          (const char  *name);
const Prop *saban_sta_find_prop         (int          set,
                                         const char  *name);
const Nav  *saban_sta_find_nav          (int          set,
                                         const char  *name);

Query      *saban_sta_query_new         (int          set);
void        saban_sta_query_free        (Query       *q);
Query      *saban_sta_query_from_params (int          set,
                                         GHashTable  *params,
                                         gboolean     one,
                                         GError     **error);
Query      *saban_sta_query_parse       (const char  *entity_set,
                                         const char  *query_string,
                                         GError     **error);
guint64     saban_sta_query_cost        (const Query *q);

char       *saban_sta_compile_filter    (int          set,
                                         const char  *alias,
                                         const char  *filter,
                                         SabanDialect dialect,
                                         GPtrArray   *binds,
                                         GError     **error);
char       *saban_sta_compile_orderby   (const Query *q,
                                         SabanDialect dialect,
                                         GError     **error);

GPtrArray  *saban_sta_binds_new         (void);
void        saban_sta_bind_number       (GPtrArray   *binds,
                                         double       v);
void        saban_sta_bind_id           (GPtrArray   *binds,
                                         gint64       id);
void        saban_sta_bind_all          (SabanStmt   *st,
                                         GPtrArray   *binds);
void        saban_sta_sql_in_polygon    (sqlite3_context *ctx,
                                         int          argc,
                                         sqlite3_value **argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Query, saban_sta_query_free)

G_END_DECLS
