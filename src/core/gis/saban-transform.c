/* saban-transform.c: coordinate transformation between two CRSs.
 *
 * A transform owns its own PROJ context, so it can be made in one thread and
 * used in another, but never in two at once: make one per worker.
 *
 * VN-2000 is the trap: left to itself PROJ may pick a transformation whose
 * Helmert rotation signs follow a different convention than Decision
 * 05/2007. Whenever one side is on the VN-2000 datum and the other on WGS 84,
 * the path is pinned to EPSG:6960 ("VN-2000 to WGS 84 (2)"), the
 * transformation published for the whole onshore territory.
 */
#include "saban-transform.h"
#include "saban-error.h"

#include <glib/gi18n-lib.h>

#include <ogr_api.h>
#include <proj.h>

#define MAX_STEPS 3

struct _SabanTransform
{
  PJ_CONTEXT *ctx;
  PJ *steps[MAX_STEPS];
  guint n_steps;
  char *description;
};

static PJ *
normalized (PJ_CONTEXT *ctx,
            PJ         *pj)
{
  PJ *norm;

  if (pj == NULL)
    return NULL;
  norm = proj_normalize_for_visualization (ctx, pj);
  proj_destroy (pj);
  return norm;
}

/* The geographic CRS's EPSG code under @crs, or 0. */
static int
geodetic_epsg (PJ_CONTEXT *ctx,
               PJ         *crs)
{
  PJ *geod = proj_crs_get_geodetic_crs (ctx, crs);
  const char *auth, *code;
  int epsg = 0;

  if (geod == NULL)
    return 0;
  auth = proj_get_id_auth_name (geod, 0);
  code = proj_get_id_code (geod, 0);
  if (auth != NULL && code != NULL && g_str_equal (auth, "EPSG"))
    epsg = atoi (code);
  proj_destroy (geod);
  return epsg;
}

static gboolean
add_step (SabanTransform *self,
          PJ             *step,
          const char     *what,
          GError        **error)
{
  if (step == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_CRS,
                   _("PROJ cannot make the step %s: %s"), what,
                   proj_context_errno_string (self->ctx, proj_context_errno (self->ctx)));
      return FALSE;
    }
  g_assert (self->n_steps < MAX_STEPS);
  self->steps[self->n_steps++] = step;
  return TRUE;
}

static gboolean
add_crs_step (SabanTransform *self,
              const char     *from,
              const char     *to,
              GError        **error)
{
  g_autofree char *what = g_strdup_printf ("%s → %s", from, to);

  if (g_str_equal (from, to))
    return TRUE;
  return add_step (self, normalized (self->ctx, proj_create_crs_to_crs (self->ctx, from, to, NULL)),
                   what, error);
}

/**
 * saban_transform_new:
 * @source_crs: any CRS PROJ understands ("EPSG:9208", WKT, PROJJSON)
 * @target_crs: likewise
 *
 * Coordinates are in traditional GIS order: x = easting or longitude.
 *
 * Returns: (transfer full) (nullable): the transform, or %NULL with @error set
 */
SabanTransform *
saban_transform_new (const char  *source_crs,
                     const char  *target_crs,
                     GError     **error)
{
  g_autoptr(SabanTransform) self = g_new0 (SabanTransform, 1);
  PJ *src, *dst;
  int src_geod, dst_geod;
  gboolean pinned = FALSE;

  self->ctx = proj_context_create ();
  proj_log_level (self->ctx, PJ_LOG_NONE);

  src = proj_create (self->ctx, source_crs);
  dst = proj_create (self->ctx, target_crs);
  if (src == NULL || dst == NULL || !proj_is_crs (src) || !proj_is_crs (dst))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_CRS,
                   _("Unknown coordinate reference system: %s"),
                   (src == NULL || !proj_is_crs (src)) ? source_crs : target_crs);
      proj_destroy (src);
      proj_destroy (dst);
      return NULL;
    }
  src_geod = geodetic_epsg (self->ctx, src);
  dst_geod = geodetic_epsg (self->ctx, dst);
  proj_destroy (src);
  proj_destroy (dst);

  if ((src_geod == SABAN_EPSG_VN2000 && dst_geod == SABAN_EPSG_WGS84) ||
      (src_geod == SABAN_EPSG_WGS84 && dst_geod == SABAN_EPSG_VN2000))
    {
      gboolean forward = src_geod == SABAN_EPSG_VN2000;
      g_autofree char *src_geog = g_strdup_printf ("EPSG:%d", src_geod);
      g_autofree char *dst_geog = g_strdup_printf ("EPSG:%d", dst_geod);
      PJ *helmert;

      pinned = TRUE;
      if (!add_crs_step (self, source_crs, src_geog, error))
        return NULL;
      helmert = normalized (self->ctx, proj_create (self->ctx, "urn:ogc:def:coordinateOperation:EPSG::6960"));
      if (helmert != NULL && !forward)
        {
          /* Run the published operation backwards rather than asking PROJ
           * to find its own inverse path. */
          PJ *inv = proj_coordoperation_create_inverse (self->ctx, helmert);
          proj_destroy (helmert);
          helmert = inv;
        }
      if (!add_step (self, helmert, "EPSG:6960", error))
        return NULL;
      if (!add_crs_step (self, dst_geog, target_crs, error))
        return NULL;
    }
  else if (!add_crs_step (self, source_crs, target_crs, error))
    return NULL;

  self->description = g_strdup_printf ("%s → %s%s", source_crs, target_crs,
                                       pinned ? " (EPSG:6960)" : "");
  return g_steal_pointer (&self);
}

/**
 * saban_transform_new_epsg:
 *
 * Like saban_transform_new() for two EPSG codes.
 */
SabanTransform *
saban_transform_new_epsg (int      source_epsg,
                          int      target_epsg,
                          GError **error)
{
  g_autofree char *src = g_strdup_printf ("EPSG:%d", source_epsg);
  g_autofree char *dst = g_strdup_printf ("EPSG:%d", target_epsg);

  return saban_transform_new (src, dst, error);
}

/**
 * saban_transform_points:
 * @xy: (inout) (array): interleaved x (easting or longitude) and y
 * @n_points: number of x, y pairs
 *
 * Transforms in place, in one batch per step.
 *
 * Returns: %FALSE if any point could not be transformed (it is set to HUGE_VAL)
 */
gboolean
saban_transform_points (SabanTransform *self,
                        double         *xy,
                        gsize           n_points)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < self->n_steps; i++)
    {
      proj_errno_reset (self->steps[i]);
      proj_trans_generic (self->steps[i], PJ_FWD,
                          xy, 2 * sizeof (double), n_points,
                          xy + 1, 2 * sizeof (double), n_points,
                          NULL, 0, 0, NULL, 0, 0);
      if (proj_errno (self->steps[i]) != 0)
        ok = FALSE;
    }
  return ok;
}

/**
 * saban_transform_describe:
 *
 * Returns: a short text naming both CRSs and any pinned operation, for logs
 */
const char *
saban_transform_describe (SabanTransform *self)
{
  return self->description;
}

void
saban_transform_free (SabanTransform *self)
{
  for (guint i = 0; i < self->n_steps; i++)
    proj_destroy (self->steps[i]);
  g_free (self->description);
  if (self->ctx != NULL)
    proj_context_destroy (self->ctx);
  g_free (self);
}

/**
 * saban_transform_geometry:
 * @geometry: an OGR geometry, changed in place, whatever its nesting
 *
 * Returns: %FALSE if any point could not be transformed
 */
gboolean
saban_transform_geometry (SabanTransform *self,
                          OGRGeometryH    geometry)
{
  int n = OGR_G_GetPointCount (geometry);
  gboolean ok = TRUE;

  for (int i = 0; i < OGR_G_GetGeometryCount (geometry); i++)
    ok &= saban_transform_geometry (self, OGR_G_GetGeometryRef (geometry, i));
  if (n > 0)
    {
      g_autofree double *xy = g_new (double, 2 * (gsize) n);

      OGR_G_GetPoints (geometry, xy, 2 * sizeof (double), xy + 1, 2 * sizeof (double), NULL, 0);
      ok &= saban_transform_points (self, xy, n);
      OGR_G_SetPoints (geometry, n, xy, 2 * sizeof (double), xy + 1, 2 * sizeof (double), NULL, 0);
    }
  return ok;
}
