/* saban-raster-query.c: what a raster says at a point or along a line, and
 * its overviews built on request.
 *
 * Identify and the elevation under the pointer read one pixel per band at
 * full resolution; a profile reads its samples the same way (GDAL's block
 * cache makes neighbouring samples cheap). All of it is blocking GDAL I/O:
 * the _async variants run it in a worker, so the main thread never waits.
 */
#include "saban-raster-layer-private.h"
#include "saban-error.h"

#include <glib/gi18n-lib.h>
#include <math.h>

static gboolean
sample_with (SabanRasterLayer  *self,
             SabanRasterReader *r,
             double             x,
             double             y,
             double            *values)
{
  double xy[2] = { x, y }, col, line;
  guint8 valid = 255;

  if (!saban_transform_points (r->to_source, xy, 1) || !isfinite (xy[0]) || !isfinite (xy[1]))
    return FALSE;
  GDALApplyGeoTransform (r->inverse, xy[0], xy[1], &col, &line);
  if (col < 0 || line < 0 || col >= self->width || line >= self->height)
    return FALSE;
  if (!self->all_valid &&
      (GDALRasterIO (GDALGetMaskBand (GDALGetRasterBand (r->ds, 1)), GF_Read, (int) col, (int) line, 1, 1,
                     &valid, 1, 1, GDT_Byte, 0, 0) != CE_None || valid == 0))
    return FALSE;
  for (guint b = 0; b < self->bands->len; b++)
    if (GDALRasterIO (GDALGetRasterBand (r->ds, (int) b + 1), GF_Read, (int) col, (int) line, 1, 1,
                      &values[b], 1, 1, GDT_Float64, 0, 0) != CE_None)
      return FALSE;
  return TRUE;
}

/**
 * saban_raster_layer_sample:
 * @x: Web Mercator metres
 * @y: likewise
 * @values: (out caller-allocates) (array): one value per band
 *
 * Blocking: call from a worker (saban_raster_layer_sample_async()).
 *
 * Returns: whether the raster has data there (not off it, not nodata)
 */
gboolean
saban_raster_layer_sample (SabanRasterLayer *self,
                           double            x,
                           double            y,
                           double           *values)
{
  g_autoptr(SabanRasterReader) r = NULL;
  gboolean ok;

  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), FALSE);

  r = saban_raster_layer_take_reader (self, NULL);
  if (r == NULL)
    return FALSE;
  ok = sample_with (self, r, x, y, values);
  saban_raster_layer_give_back (self, g_steal_pointer (&r));
  return ok;
}

static void
sample_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SabanRasterLayer *self = source_object;
  const double *at = task_data;
  double *values = g_new0 (double, MAX (self->bands->len, 1));

  if (!saban_raster_layer_sample (self, at[0], at[1], values))
    {
      g_free (values);
      g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_NO_DATA, _("No data here"));
      return;
    }
  g_task_return_pointer (task, values, g_free);
}

/**
 * saban_raster_layer_sample_async:
 *
 * saban_raster_layer_sample() in a worker.
 */
void
saban_raster_layer_sample_async (SabanRasterLayer    *self,
                                 double               x,
                                 double               y,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  double *at = g_new (double, 2);

  at[0] = x;
  at[1] = y;
  g_task_set_source_tag (task, saban_raster_layer_sample_async);
  g_task_set_task_data (task, at, g_free);
  g_task_run_in_thread (task, sample_thread);
}

/**
 * saban_raster_layer_sample_finish:
 *
 * Returns: (transfer full) (array): one value per band, or %NULL with
 *   %SABAN_ERROR_NO_DATA off the raster or on nodata
 */
double *
saban_raster_layer_sample_finish (SabanRasterLayer *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * saban_raster_layer_profile:
 * @xy: (array): the line's @n_points vertices, Web Mercator metres
 * @n_samples: points to sample, evenly spaced along the line, ≥ 2
 *
 * Distances are on the ground: Mercator lengths scaled by the cosine of
 * the latitude at each step (within 0.1 % over a province). Blocking.
 *
 * Returns: (transfer full) (element-type SabanProfilePoint): the profile of
 *   the first band
 */
GArray *
saban_raster_layer_profile (SabanRasterLayer *self,
                            const double     *xy,
                            guint             n_points,
                            guint             n_samples)
{
  GArray *profile = g_array_sized_new (FALSE, FALSE, sizeof (SabanProfilePoint), n_samples);
  g_autoptr(SabanRasterReader) r = NULL;
  g_autofree double *ground = g_new0 (double, MAX (n_points, 1));
  g_autofree double *values = g_new0 (double, MAX (self->bands->len, 1));
  guint seg = 0;

  g_return_val_if_fail (n_points >= 2 && n_samples >= 2, profile);

  for (guint i = 1; i < n_points; i++)
    {
      const double *a = xy + 2 * (i - 1), *b = xy + 2 * i;

      ground[i] = ground[i - 1] + hypot (b[0] - a[0], b[1] - a[1]) / cosh ((a[1] + b[1]) / 2 / EARTH_RADIUS);
    }
  r = saban_raster_layer_take_reader (self, NULL);
  for (guint k = 0; k < n_samples; k++)
    {
      SabanProfilePoint p = { ground[n_points - 1] * k / (n_samples - 1), NAN };
      double t, x, y;

      while (seg + 2 < n_points && ground[seg + 1] < p.distance)
        seg++;
      t = ground[seg + 1] > ground[seg] ? (p.distance - ground[seg]) / (ground[seg + 1] - ground[seg]) : 0;
      x = xy[2 * seg] + t * (xy[2 * seg + 2] - xy[2 * seg]);
      y = xy[2 * seg + 1] + t * (xy[2 * seg + 3] - xy[2 * seg + 1]);
      if (r != NULL && sample_with (self, r, x, y, values))
        p.value = values[0];
      g_array_append_val (profile, p);
    }
  if (r != NULL)
    saban_raster_layer_give_back (self, g_steal_pointer (&r));
  return profile;
}

typedef struct
{
  double *xy;
  guint n_points, n_samples;
} ProfileJob;

static void
profile_job_free (ProfileJob *job)
{
  g_free (job->xy);
  g_free (job);
}

static void
profile_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ProfileJob *job = task_data;

  g_task_return_pointer (task, saban_raster_layer_profile (source_object, job->xy, job->n_points, job->n_samples),
                         (GDestroyNotify) g_array_unref);
}

/**
 * saban_raster_layer_profile_async:
 *
 * saban_raster_layer_profile() in a worker; @xy is copied.
 */
void
saban_raster_layer_profile_async (SabanRasterLayer    *self,
                                  const double        *xy,
                                  guint                n_points,
                                  guint                n_samples,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ProfileJob *job = g_new0 (ProfileJob, 1);

  job->xy = g_memdup2 (xy, sizeof (double) * 2 * n_points);
  job->n_points = n_points;
  job->n_samples = n_samples;
  g_task_set_source_tag (task, saban_raster_layer_profile_async);
  g_task_set_task_data (task, job, (GDestroyNotify) profile_job_free);
  g_task_run_in_thread (task, profile_thread);
}

/**
 * saban_raster_layer_profile_finish:
 *
 * Returns: (transfer full) (element-type SabanProfilePoint): the profile
 */
GArray *
saban_raster_layer_profile_finish (SabanRasterLayer *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Progress goes to the caller's main context, at most one idle in flight. */
typedef struct
{
  SabanProgressFunc func;
  gpointer data;
  GMainContext *context;
  GCancellable *cancellable;
  char *name;
  double fraction;
  gint queued;
  GTask *task;   /* while the worker runs: idles hold a reference */
} OverviewJob;

static void
overview_job_free (OverviewJob *job)
{
  g_main_context_unref (job->context);
  g_clear_object (&job->cancellable);
  g_free (job->name);
  g_free (job);
}

static gboolean
deliver_progress (gpointer user_data)
{
  OverviewJob *job = g_task_get_task_data (user_data);

  g_atomic_int_set (&job->queued, 0);
  job->func (job->fraction, job->name, job->data);
  return G_SOURCE_REMOVE;
}

static int CPL_STDCALL
on_gdal_progress (double      fraction,
                  const char *message,
                  void       *user_data)
{
  OverviewJob *job = user_data;

  job->fraction = fraction;
  if (job->func != NULL && g_atomic_int_compare_and_exchange (&job->queued, 0, 1))
    {
      GSource *idle = g_idle_source_new ();

      g_source_set_callback (idle, deliver_progress, g_object_ref (job->task), g_object_unref);
      g_source_attach (idle, job->context);
      g_source_unref (idle);
    }
  return !g_cancellable_is_cancelled (job->cancellable);
}

static void
overview_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SabanRasterLayer *self = source_object;
  OverviewJob *job = task_data;
  int levels[12];
  int n = 0;
  GDALDatasetH ds;
  CPLErr err;

  job->task = task;
  for (guint f = 2; n < (int) G_N_ELEMENTS (levels) && MAX (self->width, self->height) / f >= 256; f *= 2)
    levels[n++] = (int) f;
  CPLPushErrorHandler (CPLQuietErrorHandler);
  /* Opened read-only, GDAL writes them beside it (.ovr), never into it. */
  ds = GDALOpenEx (self->source, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
  err = ds == NULL ? CE_Failure : GDALBuildOverviews (ds, "AVERAGE", n, levels, 0, NULL, on_gdal_progress, job);
  if (ds != NULL)
    GDALClose (ds);
  CPLPopErrorHandler ();
  if (err != CE_None)
    {
      g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_READ,
                               g_cancellable_is_cancelled (cancellable) ? _("Building overviews was cancelled")
                                                                      : _("Cannot build overviews of “%s”"),
                               self->name);
      return;
    }
  /* Readers opened before do not see the new overviews. */
  g_mutex_lock (&self->lock);
  self->generation++;
  g_ptr_array_set_size (self->idle, 0);
  self->n_overviews = (guint) n;
  g_mutex_unlock (&self->lock);
  g_task_return_boolean (task, TRUE);
}

/**
 * saban_raster_layer_build_overviews_async:
 * @progress: (nullable): told, on the caller's main context, how far it is
 *
 * Builds overviews (halvings down to 256 pixels, averaged) in a worker, in
 * a `.ovr` file beside the raster; tiles drawn after it use them.
 */
void
saban_raster_layer_build_overviews_async (SabanRasterLayer    *self,
                                          GCancellable        *cancellable,
                                          SabanProgressFunc    progress,
                                          gpointer             progress_data,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OverviewJob *job = g_new0 (OverviewJob, 1);

  job->func = progress;
  job->data = progress_data;
  job->context = g_main_context_ref_thread_default ();
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->name = g_strdup (self->name);
  g_task_set_source_tag (task, saban_raster_layer_build_overviews_async);
  g_task_set_task_data (task, job, (GDestroyNotify) overview_job_free);
  g_task_run_in_thread (task, overview_thread);
}

gboolean
saban_raster_layer_build_overviews_finish (SabanRasterLayer *self,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
