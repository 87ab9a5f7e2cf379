/* A real PostgreSQL 15 + PostGIS 3 on loopback: the demo layers loaded with
 * ogr2ogr come back through `PG:` and our reader as they are in the
 * GeoPackage, and a refused password is reported naming the server.
 */
#include <gdal.h>
#include <string.h>

#include "peer-compare.h"
#include "peer-process.h"
#include "test-pg.h"
#include "saban-error.h"
#include "saban-ogr-reader.h"

#define READER_ROLE "saban_reader"
#define READER_PASSWORD "dung-mat-khau"

typedef struct
{
  TestPg *pg;
  guint16 port;
  char *admin;   /* PG: connection string of the superuser */
} PgFixture;

typedef struct
{
  gboolean load_demo;
} PgSetup;

static void
pg_setup (PgFixture     *fixture,
          gconstpointer  user_data)
{
  const PgSetup *setup = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *hba = NULL;
  const char *parent = g_getenv ("SABAN_TEST_PG_DIR");
  const char *hba_rules =
    "local all all trust\n"
    /* The role the failure test logs in as must give a password ... */
    "host all " READER_ROLE " 127.0.0.1/32 scram-sha-256\n"
    /* ... the loader and the comparison need none. */
    "host all all 127.0.0.1/32 trust\n";

  fixture->pg = test_pg_new (parent != NULL ? parent : g_get_tmp_dir (), TEST_PG_FAST);
  fixture->port = test_pg_get_port (fixture->pg);
  hba = g_build_filename (test_pg_get_dir (fixture->pg), "data", "pg_hba.conf", NULL);
  g_file_set_contents (hba, hba_rules, -1, &error);
  g_assert_no_error (error);
  test_pg_sql (fixture->pg, "postgres", "SELECT pg_reload_conf()");
  test_pg_sql (fixture->pg, "saban", "CREATE ROLE " READER_ROLE " LOGIN PASSWORD '" READER_PASSWORD "'");
  fixture->admin = test_pg_gdal (fixture->pg, "saban");

  if (setup->load_demo)
    {
      /* -preserve_fid keeps the GeoPackage FIDs, so features match by FID. */
      const char *argv[] = { "ogr2ogr", "-f", "PostgreSQL", fixture->admin, g_getenv ("SABAN_DEMO_DATA"),
                             "communes", "zoning", "parcels",
                             "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid", "-preserve_fid", NULL };
      peer_run (argv, FALSE, &error);
      g_assert_no_error (error);
      test_pg_sql (fixture->pg, "saban", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " READER_ROLE);
    }
}

static void
pg_teardown (PgFixture     *fixture,
             gconstpointer  user_data)
{
  g_clear_pointer (&fixture->pg, test_pg_free);
  g_free (fixture->admin);
}

static void
test_read_back (PgFixture     *fixture,
                gconstpointer  user_data)
{
  const char *gpkg = g_getenv ("SABAN_DEMO_DATA");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  static const char * const layers[] = { "communes", "zoning", "parcels" };

  ours = saban_ogr_read (gpkg, "EPSG:9208", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  theirs = saban_ogr_read (fixture->admin, "EPSG:9208", NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Exactly the tables loaded, no system table read as a layer. */
  g_assert_cmpuint (theirs->len, ==, G_N_ELEMENTS (layers));
  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    {
      SabanVectorLayer *layer = peer_find_layer (theirs, layers[i]);
      PeerLayerCheck check = { layers[i], layers[i], NULL, NULL, PEER_READER_GRID_M };

      g_assert_nonnull (layer);
      /* The CRS survived the trip through spatial_ref_sys. */
      g_assert_nonnull (strstr (saban_vector_layer_get_source_crs_name (layer), "VN-2000"));
      /* Same doubles through the same transform: nothing should move. */
      peer_compare_layer (ours, gpkg, theirs, fixture->admin, &check);
    }
  g_assert_cmpint (saban_attribute_table_find_field (saban_vector_layer_get_attributes (peer_find_layer (theirs, "parcels")), "landuse"), >=, 0);
  g_assert_cmpint (saban_attribute_table_find_field (saban_vector_layer_get_attributes (peer_find_layer (theirs, "zoning")), "landuse"), >=, 0);
}

static void
test_wrong_password (PgFixture     *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = NULL;
  g_autofree char *wrong = g_strdup_printf ("PG:host=127.0.0.1 port=%u dbname=saban user=" READER_ROLE
                                            " password=sai-mat-khau", fixture->port);
  g_autofree char *right = g_strdup_printf ("PG:host=127.0.0.1 port=%u dbname=saban user=" READER_ROLE
                                            " password=" READER_PASSWORD, fixture->port);
  g_autofree char *port = g_strdup_printf ("%u", fixture->port);

  layers = saban_ogr_read (wrong, "EPSG:9208", NULL, NULL, NULL, &error);
  g_assert_null (layers);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_OPEN);
  g_test_message ("wrong password: %s", error->message);
  /* The message names the server and says why. */
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, port));
  g_assert_nonnull (strstr (error->message, "password authentication failed"));
  /* The message reaches the screen and logs: a password must not. */
  g_assert_null (strstr (error->message, "sai-mat-khau"));
  g_clear_error (&error);

  /* The same role with its password gets in: it was the password. The
   * database is empty, so the reader says there is nothing to show. */
  layers = saban_ogr_read (right, "EPSG:9208", NULL, NULL, NULL, &error);
  g_assert_null (layers);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA);
}

int
main (int argc, char *argv[])
{
  static const PgSetup with_demo = { TRUE };
  static const PgSetup empty = { FALSE };

  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();

  g_test_add ("/peers/postgis/read-back", PgFixture, &with_demo, pg_setup, test_read_back, pg_teardown);
  g_test_add ("/peers/postgis/wrong-password", PgFixture, &empty, pg_setup, test_wrong_password, pg_teardown);

  return g_test_run ();
}
