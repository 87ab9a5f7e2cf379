/* VN-2000 done right: our transform against an independent PROJ pipeline
 * written from EPSG:6960's published parameters. */
#include <math.h>
#include <string.h>
#include <proj.h>

#include "saban-crs-catalog.h"
#include "saban-error.h"
#include "saban-transform.h"

/* TM-3 104°45′ (EPSG:9208) easting/northing of places in the province. */
static const double control[][2] = {
  { 419650.0, 2487540.0 },  /* Lào Cai ward */
  { 406000.0, 2471000.0 },  /* Sa Pa */
  { 512400.0, 2402000.0 },  /* Yên Bái ward */
  { 475000.0, 2389000.0 },  /* Nghĩa Lộ */
  { 502000.0, 2444000.0 },  /* Lục Yên */
};

/* EPSG:6960 "VN-2000 to WGS 84 (2)", coordinate frame rotation. */
#define HELMERT_6960 "+proj=helmert +x=-191.90441429 +y=-39.30318279 +z=-111.45032835 " \
  "+rx=-0.00928836 +ry=0.01975479 +rz=-0.00427372 +s=0.252906278 +convention=coordinate_frame"
#define TM3_10445 "+proj=tmerc +lat_0=0 +lon_0=104.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84"

static PJ *
reference_pipeline (PJ_CONTEXT *ctx,
                    const char *helmert)
{
  g_autofree char *def = g_strdup_printf ("+proj=pipeline +step +inv %s +step +proj=cart +ellps=WGS84 "
                                          "+step %s +step +inv +proj=cart +ellps=WGS84", TM3_10445, helmert);
  return proj_create (ctx, def);
}

/* Metres between two lon/lat points, on a sphere: fine at these distances. */
static double
ground_distance (double lon1, double lat1, double lon2, double lat2)
{
  double r = 6378137.0, dlat = (lat2 - lat1) * G_PI / 180, dlon = (lon2 - lon1) * G_PI / 180;
  double x = dlon * cos ((lat1 + lat2) / 2 * G_PI / 180);

  return r * sqrt (x * x + dlat * dlat);
}

static void
test_vn2000_to_wgs84 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanTransform) t = saban_transform_new_epsg (9208, 4326, &error);
  PJ_CONTEXT *ctx = proj_context_create ();
  PJ *ref = reference_pipeline (ctx, HELMERT_6960);

  g_assert_no_error (error);
  g_assert_nonnull (ref);
  g_assert_nonnull (strstr (saban_transform_describe (t), "6960"));

  for (gsize i = 0; i < G_N_ELEMENTS (control); i++)
    {
      double xy[2] = { control[i][0], control[i][1] };
      PJ_COORD c = proj_coord (control[i][0], control[i][1], 0, 0);
      double ref_lon, ref_lat;

      g_assert_true (saban_transform_points (t, xy, 1));
      c = proj_trans (ref, PJ_FWD, c);
      ref_lon = proj_todeg (c.lp.lam);
      ref_lat = proj_todeg (c.lp.phi);
      g_assert_cmpfloat (ground_distance (xy[0], xy[1], ref_lon, ref_lat), <, 0.05);
      /* Lào Cai lies about 21.3–22.9° N, 103.4–105.2° E. */
      g_assert_cmpfloat (xy[0], >, 103.4);
      g_assert_cmpfloat (xy[0], <, 105.2);
      g_assert_cmpfloat (xy[1], >, 21.3);
      g_assert_cmpfloat (xy[1], <, 22.9);
    }
  proj_destroy (ref);
  proj_context_destroy (ctx);
}

/* The trap: the rotation signs of Decision 05/2007 used as-is in +towgs84
 * land a few decimetres away. The test above must be able to see that. */
static void
test_sign_trap_is_detectable (void)
{
  g_autoptr(SabanTransform) t = saban_transform_new_epsg (9208, 4326, NULL);
  PJ_CONTEXT *ctx = proj_context_create ();
  PJ *wrong = reference_pipeline (ctx, "+proj=helmert +x=-191.90441429 +y=-39.30318279 +z=-111.45032835 "
                                       "+rx=-0.00928836 +ry=0.01975479 +rz=-0.00427372 +s=0.252906278 "
                                       "+convention=position_vector");
  double xy[2] = { control[0][0], control[0][1] };
  PJ_COORD c = proj_coord (control[0][0], control[0][1], 0, 0);

  g_assert_true (saban_transform_points (t, xy, 1));
  c = proj_trans (wrong, PJ_FWD, c);
  g_assert_cmpfloat (ground_distance (xy[0], xy[1], proj_todeg (c.lp.lam), proj_todeg (c.lp.phi)), >, 0.2);
  proj_destroy (wrong);
  proj_context_destroy (ctx);
}

static void
test_round_trip (void)
{
  g_autoptr(SabanTransform) there = saban_transform_new_epsg (4326, 9208, NULL);
  g_autoptr(SabanTransform) back = saban_transform_new_epsg (9208, 4326, NULL);
  double xy[2] = { 103.97512, 22.48123 };

  g_assert_true (saban_transform_points (there, xy, 1));
  /* TM-3 of Lào Cai ward: easting ~420 km, northing ~2 487 km. */
  g_assert_cmpfloat (fabs (xy[0] - 420000), <, 3000);
  g_assert_cmpfloat (fabs (xy[1] - 2487000), <, 3000);
  g_assert_true (saban_transform_points (back, xy, 1));
  /* The published Helmert inverse is exact only to the millimetre. */
  g_assert_cmpfloat (ground_distance (xy[0], xy[1], 103.97512, 22.48123), <, 0.005);
}

static void
test_batch_matches_single (void)
{
  g_autoptr(SabanTransform) t = saban_transform_new_epsg (9208, 3857, NULL);
  double batch[2 * G_N_ELEMENTS (control)];

  for (gsize i = 0; i < G_N_ELEMENTS (control); i++)
    {
      batch[2 * i] = control[i][0];
      batch[2 * i + 1] = control[i][1];
    }
  g_assert_true (saban_transform_points (t, batch, G_N_ELEMENTS (control)));
  for (gsize i = 0; i < G_N_ELEMENTS (control); i++)
    {
      double one[2] = { control[i][0], control[i][1] };
      g_assert_true (saban_transform_points (t, one, 1));
      g_assert_cmpfloat (fabs (one[0] - batch[2 * i]), <, 1e-6);
      g_assert_cmpfloat (fabs (one[1] - batch[2 * i + 1]), <, 1e-6);
    }
}

static void
test_unknown_crs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanTransform) t = saban_transform_new ("EPSG:999999", "EPSG:3857", &error);

  g_assert_null (t);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_CRS);
  g_assert_nonnull (strstr (error->message, "EPSG:999999"));
}

static void
test_out_of_range (void)
{
  g_autoptr(SabanTransform) t = saban_transform_new_epsg (4326, 3857, NULL);
  double xy[2] = { 104.0, 9999.0 };

  g_assert_false (saban_transform_points (t, xy, 1));
}

/* The names offered to users are PROJ's own, and each CRS reaches Mercator. */
static void
test_catalog (void)
{
  guint n;
  const SabanCrsEntry *entries = saban_crs_catalog_get (&n);
  PJ_CONTEXT *ctx = proj_context_create ();

  g_assert_cmpuint (n, >=, 20);
  g_assert_cmpint (entries[0].epsg, ==, 9208);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *code = g_strdup_printf ("EPSG:%d", entries[i].epsg);
      PJ *crs = proj_create (ctx, code);
      g_autoptr(SabanTransform) t = saban_transform_new (code, "EPSG:3857", NULL);

      g_assert_nonnull (crs);
      g_assert_cmpstr (proj_get_name (crs), ==, entries[i].name);
      g_assert_nonnull (t);
      g_assert_cmpint (saban_crs_catalog_index (entries[i].epsg), ==, (int) i);
      proj_destroy (crs);
    }
  g_assert_cmpint (saban_crs_catalog_index (2154), ==, -1);
  proj_context_destroy (ctx);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/transform/vn2000-to-wgs84", test_vn2000_to_wgs84);
  g_test_add_func ("/transform/sign-trap-detectable", test_sign_trap_is_detectable);
  g_test_add_func ("/transform/round-trip", test_round_trip);
  g_test_add_func ("/transform/batch", test_batch_matches_single);
  g_test_add_func ("/transform/unknown-crs", test_unknown_crs);
  g_test_add_func ("/transform/out-of-range", test_out_of_range);
  g_test_add_func ("/transform/catalog", test_catalog);
  return g_test_run ();
}
