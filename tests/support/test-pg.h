/* A throw-away PostgreSQL 15 + PostGIS 3 cluster for tests: initdb under a
 * directory of the build, started on a free loopback port (as `postgres`
 * when the test is root), and a hot standby made from it with
 * pg_basebackup. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TestPg TestPg;

typedef enum
{
  TEST_PG_FAST    = 0,       /* no fsync: the cluster lives for one test */
  TEST_PG_DURABLE = 1 << 0,  /* fsync and synchronous commits, as in production */
} TestPgFlags;

TestPg     *test_pg_new            (const char  *parent_dir,
                                    TestPgFlags  flags);
TestPg     *test_pg_new_standby    (TestPg      *primary,
                                    const char  *name);
void        test_pg_start          (TestPg      *self);
void        test_pg_crash          (TestPg      *self);
void        test_pg_promote        (TestPg      *self);
void        test_pg_free           (TestPg      *self);
guint16     test_pg_get_port       (TestPg      *self);
const char *test_pg_get_dir        (TestPg      *self);
char       *test_pg_uri            (TestPg      *self,
                                    const char  *dbname);
char       *test_pg_gdal           (TestPg      *self,
                                    const char  *dbname);
void        test_pg_sql            (TestPg      *self,
                                    const char  *dbname,
                                    const char  *sql);
gboolean    test_pg_try_sql        (TestPg      *self,
                                    const char  *dbname,
                                    const char  *sql,
                                    char       **message);
char       *test_pg_query_text     (TestPg      *self,
                                    const char  *dbname,
                                    const char  *sql,
                                    const char  *arg);
gint64      test_pg_query_int      (TestPg      *self,
                                    const char  *dbname,
                                    const char  *sql,
                                    const char  *arg);
void        test_pg_create_db      (TestPg      *self,
                                    const char  *dbname);

G_END_DECLS
