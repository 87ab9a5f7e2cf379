/* The arrangement saved and read back; a damaged file is refused cleanly. */
#include <glib/gstdio.h>
#include <string.h>

#include "saban-error.h"
#include "saban-workspace.h"

static GFile *
temp_file (const char *name)
{
  g_autofree char *dir = g_dir_make_tmp ("saban-ws-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "nested", name, NULL);

  return g_file_new_for_path (path);
}

static void
test_round_trip (void)
{
  g_autoptr(SabanWorkspace) ws = saban_workspace_new ();
  g_autoptr(SabanWorkspace) back = NULL;
  g_autoptr(GFile) file = temp_file ("workspace.json");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sources = NULL;
  const SabanWorkspaceLayer *zoning;
  double lat, lon, zoom;

  saban_workspace_add_layer (ws, "/data/lào-cai.gpkg", "zoning", TRUE, 0.5);
  saban_workspace_set_last_title (ws, "Quy hoạch 2030");
  saban_workspace_set_last_crs (ws, "EPSG:9208");
  saban_workspace_add_layer (ws, "PG:host=127.0.0.1 dbname=ioc", "parcels", FALSE, 1);
  /* the land-use field the user chose for parcels from elsewhere */
  saban_workspace_set_last_landuse_field (ws, "ma_loai");
  saban_workspace_add_layer (ws, "/data/lào-cai.gpkg", "communes", TRUE, 1);
  saban_workspace_set_last_style (ws, &(SabanWorkspaceStyle) { "graduated", "population", "quantile", 4,
                                                              "#ffffff", "#a51d2d", "name" });
  saban_workspace_set_view (ws, 22.1, 104.2, 11.5);

  g_assert_true (saban_workspace_save (ws, file, &error));
  g_assert_no_error (error);
  back = saban_workspace_load (file, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (saban_workspace_get_n_layers (back), ==, 3);
  g_assert_cmpstr (saban_workspace_get_layer (back, 2)->layer, ==, "communes");
  g_assert_cmpstr (saban_workspace_get_layer (back, 2)->style.kind, ==, "graduated");
  g_assert_cmpstr (saban_workspace_get_layer (back, 2)->style.method, ==, "quantile");
  g_assert_cmpuint (saban_workspace_get_layer (back, 2)->style.n_classes, ==, 4);
  g_assert_cmpstr (saban_workspace_get_layer (back, 2)->style.label_field, ==, "name");
  g_assert_null (saban_workspace_get_layer (back, 0)->style.kind);
  zoning = saban_workspace_find_layer (back, "/data/lào-cai.gpkg", "zoning");
  g_assert_nonnull (zoning);
  g_assert_cmpfloat (zoning->opacity, ==, 0.5);
  g_assert_cmpstr (zoning->title, ==, "Quy hoạch 2030");
  g_assert_cmpstr (zoning->crs, ==, "EPSG:9208");
  g_assert_cmpstr (saban_workspace_get_source_crs (back, "/data/lào-cai.gpkg"), ==, "EPSG:9208");
  g_assert_null (saban_workspace_get_source_crs (back, "PG:host=127.0.0.1 dbname=ioc"));
  g_assert_null (saban_workspace_get_layer (back, 2)->title);
  g_assert_false (saban_workspace_find_layer (back, "PG:host=127.0.0.1 dbname=ioc", "parcels")->visible);
  g_assert_cmpstr (saban_workspace_find_layer (back, "PG:host=127.0.0.1 dbname=ioc", "parcels")->landuse_field, ==,
                   "ma_loai");
  g_assert_null (zoning->landuse_field);
  g_assert_null (saban_workspace_find_layer (back, "/data/lào-cai.gpkg", "parcels"));
  sources = saban_workspace_dup_sources (back);
  g_assert_cmpuint (g_strv_length (sources), ==, 2);
  g_assert_true (saban_workspace_get_view (back, &lat, &lon, &zoom));
  g_assert_cmpfloat (lat, ==, 22.1);
  g_assert_cmpfloat (zoom, ==, 11.5);
}

static void
test_damaged (void)
{
  const char *bad[] = { "{ \"version\": 1, \"layers\": [", "[1, 2, 3]", "{ \"version\": 7, \"layers\": [] }", "" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *dir = g_dir_make_tmp ("saban-ws-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "workspace.json", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(SabanWorkspace) ws = NULL;

      g_assert_true (g_file_set_contents (path, bad[i], -1, NULL));
      ws = saban_workspace_load (file, &error);
      g_assert_null (ws);
      g_assert_error (error, SABAN_ERROR, SABAN_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, "workspace.json"));
    }
}

static void
test_entries_without_identity_skipped (void)
{
  g_autofree char *dir = g_dir_make_tmp ("saban-ws-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "workspace.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SabanWorkspace) ws = NULL;

  g_assert_true (g_file_set_contents (path,
    "{\"version\":1,\"layers\":[{\"layer\":\"x\"},42,{\"source\":\"a.gpkg\",\"layer\":\"roads\"}]}", -1, NULL));
  ws = saban_workspace_load (file, NULL);
  g_assert_nonnull (ws);
  g_assert_cmpuint (saban_workspace_get_n_layers (ws), ==, 1);
  g_assert_true (saban_workspace_get_layer (ws, 0)->visible);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/workspace/round-trip", test_round_trip);
  g_test_add_func ("/workspace/damaged", test_damaged);
  g_test_add_func ("/workspace/entries-without-identity", test_entries_without_identity_skipped);
  return g_test_run ();
}
