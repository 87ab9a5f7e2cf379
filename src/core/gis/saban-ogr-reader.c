/* saban-ogr-reader.c: every vector layer of anything GDAL/OGR opens, read
 * through the Arrow C stream into SabanVectorLayer arrays in Web Mercator.
 *
 * Reading goes batch by batch: WKB is decoded straight into the flat arrays,
 * attributes into typed columns, and each batch's new points are
 * reprojected in one PROJ call.
 */
#include "saban-ogr-reader.h"
#include "saban-credentials.h"
#include "saban-error.h"
#include "saban-grid-transform.h"
#include "saban-transform.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <ogr_recordbatch.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

typedef struct
{
  GArray *part_starts;   /* guint32 */
  GArray *point_starts;  /* guint32 */
  GArray *xy;            /* double */
  GArray *boxes;         /* double */
  GArray *fids;          /* gint64 */
  SabanAttributeTable *attributes;
  SabanGeometryKind kind;
} Builder;

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} Cursor;

static char *saban_ogr_reason (void);

static void
builder_init (Builder *b)
{
  b->part_starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  b->point_starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  b->xy = g_array_new (FALSE, FALSE, sizeof (double));
  b->boxes = g_array_new (FALSE, FALSE, sizeof (double));
  b->fids = g_array_new (FALSE, FALSE, sizeof (gint64));
  b->attributes = saban_attribute_table_new ();
}

static void
builder_clear (Builder *b)
{
  g_clear_pointer (&b->part_starts, g_array_unref);
  g_clear_pointer (&b->point_starts, g_array_unref);
  g_clear_pointer (&b->xy, g_array_unref);
  g_clear_pointer (&b->boxes, g_array_unref);
  g_clear_pointer (&b->fids, g_array_unref);
  g_clear_pointer (&b->attributes, saban_attribute_table_free);
}

static guint32
read_u32 (Cursor   *c,
          gboolean  little,
          gboolean *ok)
{
  guint32 v;

  if (c->end - c->p < 4)
    {
      *ok = FALSE;
      return 0;
    }
  memcpy (&v, c->p, 4);
  c->p += 4;
  return little ? GUINT32_FROM_LE (v) : GUINT32_FROM_BE (v);
}

static double
read_f64 (Cursor   *c,
          gboolean  little)
{
  guint64 v;
  double d;

  memcpy (&v, c->p, 8);
  c->p += 8;
  v = little ? GUINT64_FROM_LE (v) : GUINT64_FROM_BE (v);
  memcpy (&d, &v, 8);
  return d;
}

static gboolean
read_points (Builder  *b,
             Cursor   *c,
             gboolean  little,
             guint     dims,
             guint32   n)
{
  if ((gsize) (c->end - c->p) < (gsize) n * dims * 8)
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    {
      double xy[2];

      xy[0] = read_f64 (c, little);
      xy[1] = read_f64 (c, little);
      c->p += 8 * (dims - 2);
      g_array_append_vals (b->xy, xy, 2);
    }
  return TRUE;
}

static void
begin_part (Builder *b)
{
  guint32 start = b->xy->len / 2;
  g_array_append_val (b->point_starts, start);
}

/* Appends the parts of one WKB geometry (ISO or EWKB dimension flags). */
static gboolean
read_wkb (Builder *b,
          Cursor  *c,
          guint    depth)
{
  gboolean little, ok = TRUE;
  guint32 type, base, dims = 2, n;

  if (depth > 8 || c->p >= c->end)
    return FALSE;
  little = *c->p++ == 1;
  type = read_u32 (c, little, &ok);
  if (!ok)
    return FALSE;
  if (type & 0x80000000)
    dims++;
  if (type & 0x40000000)
    dims++;
  type &= 0x0FFFFFFF;
  base = type % 1000;
  switch (type / 1000)
    {
    case 1: case 2: dims = 3; break;
    case 3: dims = 4; break;
    default: break;
    }

  switch (base)
    {
    case 1:  /* Point */
      begin_part (b);
      return read_points (b, c, little, dims, 1);
    case 2:  /* LineString */
      n = read_u32 (c, little, &ok);
      if (!ok)
        return FALSE;
      begin_part (b);
      return read_points (b, c, little, dims, n);
    case 3:  /* Polygon */
      n = read_u32 (c, little, &ok);
      for (guint32 r = 0; ok && r < n; r++)
        {
          guint32 m = read_u32 (c, little, &ok);
          if (!ok)
            return FALSE;
          begin_part (b);
          ok = read_points (b, c, little, dims, m);
        }
      return ok;
    case 4: case 5: case 6: case 7:  /* Multi*, GeometryCollection */
      n = read_u32 (c, little, &ok);
      for (guint32 i = 0; ok && i < n; i++)
        ok = read_wkb (b, c, depth + 1);
      return ok;
    default:
      return FALSE;
    }
}

static gboolean
arrow_is_valid (const struct ArrowArray *a,
                gint64                   i)
{
  const guint8 *bits = a->buffers[0];

  if (a->null_count == 0 || bits == NULL)
    return TRUE;
  i += a->offset;
  return (bits[i / 8] >> (i % 8)) & 1;
}

static int
find_child (const struct ArrowSchema *schema,
            const char               *name)
{
  if (name == NULL || *name == '\0')
    return -1;
  for (gint64 i = 0; i < schema->n_children; i++)
    if (g_str_equal (schema->children[i]->name, name))
      return (int) i;
  return -1;
}

/* An attribute column of the Arrow batch and the table column it fills. */
typedef struct
{
  int child;
  guint field;
  char format;
} AttributeColumn;

static gboolean
field_type_of_arrow (const char     *format,
                     SabanFieldType *type)
{
  if (format[1] != '\0')
    return FALSE;
  switch (format[0])
    {
    case 'u':
      *type = SABAN_FIELD_STRING;
      return TRUE;
    case 'c': case 's': case 'i': case 'l': case 'b':
      *type = SABAN_FIELD_INTEGER;
      return TRUE;
    case 'f': case 'g':
      *type = SABAN_FIELD_REAL;
      return TRUE;
    default:
      return FALSE;
    }
}

static void
append_attribute (SabanAttributeTable     *table,
                  const AttributeColumn   *column,
                  const struct ArrowArray *a,
                  gint64                   r)
{
  gint64 i = a->offset + r;

  if (!arrow_is_valid (a, r))
    {
      saban_attribute_table_append_null (table, column->field);
      return;
    }
  switch (column->format)
    {
    case 'u':
      {
        const gint32 *off = a->buffers[1];
        saban_attribute_table_append_string (table, column->field,
                                             (const char *) a->buffers[2] + off[i], off[i + 1] - off[i]);
      }
      break;
    case 'c':
      saban_attribute_table_append_integer (table, column->field, ((const gint8 *) a->buffers[1])[i]);
      break;
    case 's':
      saban_attribute_table_append_integer (table, column->field, ((const gint16 *) a->buffers[1])[i]);
      break;
    case 'i':
      saban_attribute_table_append_integer (table, column->field, ((const gint32 *) a->buffers[1])[i]);
      break;
    case 'l':
      saban_attribute_table_append_integer (table, column->field, ((const gint64 *) a->buffers[1])[i]);
      break;
    case 'b':
      saban_attribute_table_append_integer (table, column->field, (((const guint8 *) a->buffers[1])[i / 8] >> (i % 8)) & 1);
      break;
    case 'f':
      saban_attribute_table_append_real (table, column->field, ((const float *) a->buffers[1])[i]);
      break;
    case 'g':
    default:
      saban_attribute_table_append_real (table, column->field, ((const double *) a->buffers[1])[i]);
      break;
    }
}

static SabanGeometryKind
kind_of_ogr_type (OGRwkbGeometryType type)
{
  switch (wkbFlatten (type))
    {
    case wkbPoint: case wkbMultiPoint:
      return SABAN_GEOMETRY_POINT;
    case wkbLineString: case wkbMultiLineString:
      return SABAN_GEOMETRY_LINE;
    default:
      return SABAN_GEOMETRY_POLYGON;
    }
}

/* The CRS as PROJ should see it: "EPSG:n" when it has that identity, so
 * the VN-2000 path is recognised; WKT2 otherwise. */
static char *
crs_definition (OGRSpatialReferenceH srs)
{
  const char *auth = OSRGetAuthorityName (srs, NULL);
  const char *code = OSRGetAuthorityCode (srs, NULL);
  char *wkt = NULL;
  const char *options[] = { "FORMAT=WKT2_2019", NULL };
  char *out;

  if (OSRAutoIdentifyEPSG (srs) == OGRERR_NONE || (auth != NULL && code != NULL))
    {
      auth = OSRGetAuthorityName (srs, NULL);
      code = OSRGetAuthorityCode (srs, NULL);
      if (auth != NULL && code != NULL)
        return g_strdup_printf ("%s:%s", auth, code);
    }
  if (OSRExportToWktEx (srs, &wkt, options) != OGRERR_NONE)
    return NULL;
  out = g_strdup (wkt);
  CPLFree (wkt);
  return out;
}

typedef struct
{
  SabanProgressFunc func;
  gpointer data;
  GMainContext *context;
  double fraction;
  char *layer_name;
} Progress;

static gboolean
progress_dispatch (gpointer user_data)
{
  Progress *p = user_data;

  p->func (p->fraction, p->layer_name, p->data);
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer user_data)
{
  Progress *p = user_data;

  g_free (p->layer_name);
  g_free (p);
}

static void
report (const Progress *proto,
        double          fraction,
        const char     *layer_name)
{
  Progress *p;

  if (proto == NULL || proto->func == NULL)
    return;
  p = g_new0 (Progress, 1);
  *p = *proto;
  p->fraction = fraction;
  p->layer_name = g_strdup (layer_name);
  if (proto->context == NULL)
    {
      progress_dispatch (p);
      progress_free (p);
    }
  else
    g_main_context_invoke_full (proto->context, G_PRIORITY_DEFAULT, progress_dispatch, p, progress_free);
}

/* Attribute columns: every child of the batch but the geometry and the FID
 * whose Arrow type we keep; others (dates, lists, binary) are not read. */
static GArray *
attribute_columns (const struct ArrowSchema *schema,
                   int                       geom_col,
                   int                       fid_col,
                   SabanAttributeTable      *table)
{
  GArray *columns = g_array_new (FALSE, FALSE, sizeof (AttributeColumn));

  for (gint64 i = 0; i < schema->n_children; i++)
    {
      SabanFieldType type;
      AttributeColumn column;

      if (i == geom_col || i == fid_col || !field_type_of_arrow (schema->children[i]->format, &type))
        continue;
      column.child = (int) i;
      column.format = schema->children[i]->format[0];
      column.field = saban_attribute_table_add_field (table, schema->children[i]->name, type);
      g_array_append_val (columns, column);
    }
  return columns;
}

static void
compute_boxes (Builder *b)
{
  const guint32 *parts = (const guint32 *) b->part_starts->data;
  const guint32 *points = (const guint32 *) b->point_starts->data;
  const double *xy = (const double *) b->xy->data;

  g_array_set_size (b->boxes, 4 * (gsize) b->fids->len);
  for (guint32 f = 0; f < b->fids->len; f++)
    {
      double *box = (double *) b->boxes->data + 4 * (gsize) f;

      box[0] = box[1] = INFINITY;
      box[2] = box[3] = -INFINITY;
      for (guint32 i = points[parts[f]]; i < points[parts[f + 1]]; i++)
        {
          box[0] = MIN (box[0], xy[2 * i]);
          box[1] = MIN (box[1], xy[2 * i + 1]);
          box[2] = MAX (box[2], xy[2 * i]);
          box[3] = MAX (box[3], xy[2 * i + 1]);
        }
    }
}

static SabanVectorLayer *
read_layer (const char     *path,
            const char     *shown,
            OGRLayerH       layer,
            const char     *default_crs,
            GCancellable   *cancellable,
            const Progress *progress,
            double          done_before,
            double          share,
            GError        **error)
{
  const char *name = OGR_L_GetName (layer);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  OGRSpatialReferenceH srs = OGR_L_GetSpatialRef (layer);
  g_autofree char *crs = NULL;
  g_autofree char *crs_name = NULL;
  g_autoptr(SabanTransform) transform = NULL;
  g_autoptr(SabanGridTransform) grid = NULL;   /* borrows transform: freed first */
  OGREnvelope extent = { NAN, NAN, NAN, NAN };
  g_autoptr(GArray) columns = NULL;
  struct ArrowArrayStream stream = { 0 };
  struct ArrowSchema schema = { 0 };
  const char *stream_options[] = { "MAX_FEATURES_IN_BATCH=65536", NULL };
  Builder b;
  SabanFeatureArrays arrays = { 0 };
  gint64 expected = OGR_L_GetFeatureCount (layer, FALSE);
  gint64 seen = 0;
  int geom_col, fid_col;
  gboolean ok = TRUE;

  if (OGR_FD_GetGeomFieldCount (defn) == 0)
    return NULL;

  if (srs != NULL)
    {
      crs = crs_definition (srs);
      crs_name = g_strdup (OSRGetName (srs));
    }
  else if (default_crs != NULL)
    {
      crs = g_strdup (default_crs);
      crs_name = g_strdup (default_crs);
    }
  else
    {
      /* A Shapefile without .prj, a CSV: only the user knows. */
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NEEDS_CRS,
                   _("Layer “%s” of “%s” does not say which coordinate system it uses"), name, shown);
      return NULL;
    }
  transform = saban_transform_new (crs, "EPSG:3857", error);
  if (transform == NULL)
    return NULL;
  /* Exact PROJ is the slowest part of a large read; a grid over the layer's
   * extent is within 2 cm and much faster (saban-grid-transform.c). */
  OGR_L_GetExtent (layer, &extent, FALSE);
  grid = saban_grid_transform_new (transform, extent.MinX, extent.MinY, extent.MaxX, extent.MaxY);

  OGR_L_ResetReading (layer);
  if (!OGR_L_GetArrowStream (layer, &stream, (char **) stream_options) ||
      stream.get_schema (&stream, &schema) != 0)
    {
      g_autofree char *reason = saban_ogr_reason ();

      g_set_error (error, SABAN_ERROR, SABAN_ERROR_READ, _("Cannot read layer “%s” of “%s”: %s"), name, shown, reason);
      if (stream.release != NULL)
        stream.release (&stream);
      return NULL;
    }

  geom_col = find_child (&schema, OGR_L_GetGeometryColumn (layer));
  if (geom_col < 0)
    geom_col = find_child (&schema, "wkb_geometry");
  fid_col = find_child (&schema, OGR_L_GetFIDColumn (layer));
  if (fid_col < 0)
    fid_col = find_child (&schema, "OGC_FID");
  if (fid_col >= 0 && !g_str_equal (schema.children[fid_col]->format, "l"))
    fid_col = -1;

  builder_init (&b);
  b.kind = kind_of_ogr_type (OGR_L_GetGeomType (layer));
  columns = attribute_columns (&schema, geom_col, fid_col, b.attributes);

  if (geom_col < 0 || !g_str_equal (schema.children[geom_col]->format, "z"))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_READ,
                   _("Layer “%s” of “%s” has no readable geometry"), name, shown);
      ok = FALSE;
    }

  while (ok)
    {
      struct ArrowArray batch = { 0 };
      const struct ArrowArray *geoms, *fids = NULL;
      const gint32 *geom_offsets;
      const guint8 *geom_data;
      guint32 first_point = b.xy->len / 2;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (stream.get_next (&stream, &batch) != 0)
        {
          g_autofree char *reason = saban_ogr_reason ();

          g_set_error (error, SABAN_ERROR, SABAN_ERROR_READ, _("Cannot read layer “%s” of “%s”: %s"), name, shown,
                       reason);
          ok = FALSE;
          break;
        }
      if (batch.release == NULL)
        break;

      geoms = batch.children[geom_col];
      geom_offsets = (const gint32 *) geoms->buffers[1] + geoms->offset;
      geom_data = geoms->buffers[2];
      if (fid_col >= 0)
        fids = batch.children[fid_col];

      for (gint64 r = 0; r < batch.length; r++)
        {
          guint32 part_start = b.point_starts->len;
          guint32 point_start = b.xy->len / 2;
          gint64 fid = fids != NULL ? ((const gint64 *) fids->buffers[1])[fids->offset + r] : seen + r + 1;
          Cursor c;

          if (!arrow_is_valid (geoms, r) || geom_offsets[r + 1] <= geom_offsets[r])
            continue;
          c.p = geom_data + geom_offsets[r];
          c.end = geom_data + geom_offsets[r + 1];
          if (!read_wkb (&b, &c, 0))
            {
              /* A broken geometry drops that feature only. */
              g_array_set_size (b.point_starts, part_start);
              g_array_set_size (b.xy, 2 * point_start);
              g_debug ("%s: feature %" G_GINT64_FORMAT " has unreadable WKB", name, fid);
              continue;
            }
          if (b.point_starts->len == part_start)
            continue;
          g_array_append_val (b.part_starts, part_start);
          g_array_append_val (b.fids, fid);
          for (guint i = 0; i < columns->len; i++)
            {
              const AttributeColumn *column = &g_array_index (columns, AttributeColumn, i);
              append_attribute (b.attributes, column, batch.children[column->child], r);
            }
        }
      seen += batch.length;
      batch.release (&batch);

      /* a batch without points leaves b.xy's data NULL: nothing to offset */
      if (b.xy->len / 2 > first_point &&
          !saban_grid_transform_points (grid, (double *) b.xy->data + 2 * (gsize) first_point,
                                        b.xy->len / 2 - first_point))
        {
          g_set_error (error, SABAN_ERROR, SABAN_ERROR_CRS,
                       _("Layer “%s” of “%s” has coordinates that do not fit its coordinate system (%s)"),
                       name, shown, crs_name);
          ok = FALSE;
        }
      if (expected > 0)
        report (progress, done_before + share * MIN (1.0, (double) seen / expected), name);
    }

  if (schema.release != NULL)
    schema.release (&schema);
  stream.release (&stream);

  if (!ok)
    {
      builder_clear (&b);
      return NULL;
    }

  {
    guint32 end_part = b.point_starts->len;
    guint32 n_points = b.xy->len / 2;

    g_array_append_val (b.part_starts, end_part);
    g_array_append_val (b.point_starts, n_points);
  }
  compute_boxes (&b);

  arrays.n_features = b.fids->len;
  arrays.n_parts = b.point_starts->len - 1;
  arrays.n_points = b.xy->len / 2;
  arrays.part_starts = (guint32 *) g_array_free (g_steal_pointer (&b.part_starts), FALSE);
  arrays.point_starts = (guint32 *) g_array_free (g_steal_pointer (&b.point_starts), FALSE);
  arrays.xy = (double *) g_array_free (g_steal_pointer (&b.xy), FALSE);
  arrays.boxes = (double *) g_array_free (g_steal_pointer (&b.boxes), FALSE);
  arrays.fids = (gint64 *) g_array_free (g_steal_pointer (&b.fids), FALSE);
  arrays.attributes = g_steal_pointer (&b.attributes);
  builder_clear (&b);

  return saban_vector_layer_new (name, path, crs, crs_name, b.kind, &arrays);
}

/* What GDAL's HTTP client met while a remote source was opened or read: the
 * user reads it in their words (saban_ogr_reason), the raw text goes to
 * the log. GDAL reports the status as "HTTP error code : 404" and then, as
 * its last message, the server's own (English) body. */
typedef struct
{
  int      http_status;
  gboolean unreachable;
  gboolean timed_out;
} RemoteTrouble;

static void CPL_STDCALL
note_remote_trouble (CPLErr level, CPLErrorNum number, const char *message)
{
  RemoteTrouble *trouble = CPLGetErrorHandlerUserData ();
  const char *code = strstr (message, "HTTP error code");

  if (trouble == NULL || level < CE_Failure)
    return;
  g_message ("GDAL: %s", message);
  if (code != NULL && trouble->http_status == 0)
    trouble->http_status = (int) g_ascii_strtoll (code + strcspn (code, "0123456789"), NULL, 10);
  if (strstr (message, "Couldn't connect") != NULL || strstr (message, "Could not resolve") != NULL ||
      strstr (message, "Connection refused") != NULL)
    trouble->unreachable = TRUE;
  if (strstr (message, "timed out") != NULL || strstr (message, "Timeout was reached") != NULL)
    trouble->timed_out = TRUE;
}

/* why GDAL failed, for the user: a remote source's trouble in their words,
 * else GDAL's own reason (about a file's content) without any password */
static char *
saban_ogr_reason (void)
{
  RemoteTrouble *t = CPLGetErrorHandlerUserData ();
  int status = t != NULL ? t->http_status : 0;

  if (t != NULL && t->unreachable)
    return g_strdup (_("the server cannot be reached. Check the network and the address"));
  if (t != NULL && t->timed_out)
    return g_strdup (_("the server did not answer in time. Try again in a moment"));
  if (status == 401 || status == 403)
    return g_strdup (_("the server does not let this account read it. Ask the server's administrator for access"));
  if (status == 404)
    return g_strdup (_("the server has nothing at this address. Check the address and the layer name"));
  if (status == 429 || status == 503)
    return g_strdup (_("the server is busy. Try again in a moment"));
  if (status >= 500)
    return g_strdup (_("the server failed to answer. Try again later; if this goes on, tell its administrator"));
  if (status >= 400)
    return g_strdup (_("the server refused the request. Check the address"));
  if (*CPLGetLastErrorMsg () == '\0')
    return g_strdup (_("not a vector data source GDAL recognises"));
  return saban_ogr_redact (CPLGetLastErrorMsg ());
}

/**
 * saban_ogr_redact:
 * @source: a file name or GDAL connection string
 *
 * Returns: (transfer full): @source with any password replaced, for showing
 *   and logging
 */
char *
saban_ogr_redact (const char *source)
{
  g_autoptr(GRegex) regex = g_regex_new ("(password\\s*=\\s*)('(\\\\.|[^'])*'|[^ ]*)",
                                         G_REGEX_CASELESS, 0, NULL);

  return g_regex_replace (regex, source, -1, 0, "\\1•••", 0, NULL);
}

/* the host (and port) of a URL inside a connection string, or NULL */
static char *
url_host (const char *text)
{
  const char *start = strstr (text, "://");
  g_autoptr(GUri) uri = NULL;

  if (start == NULL)
    return NULL;
  while (start > text && g_ascii_isalpha (start[-1]))
    start--;
  uri = g_uri_parse (start, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_uri_get_port (uri) > 0 ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
                                  : g_strdup (g_uri_get_host (uri));
}

/* a libpq keyword's value ("dbname=…"), unquoted, or NULL */
static char *
pg_keyword (const char *source, const char *keyword)
{
  g_autofree char *pattern = g_strdup_printf ("(?:^|[\\s:])%s\\s*=\\s*('([^']*)'|([^\\s]+))", keyword);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *quoted = NULL;

  if (!g_regex_match (regex, source, 0, &match))
    return NULL;
  quoted = g_match_info_fetch (match, 2);
  return quoted != NULL && *quoted != '\0' ? g_steal_pointer (&quoted) : g_match_info_fetch (match, 3);
}

/**
 * saban_ogr_describe_source:
 * @source: a file name or GDAL connection string
 *
 * Returns: (transfer full): where the data comes from, as a person names it
 *   — a file's kind and name (never its folder), a server's kind and host,
 *   a database and its host — and never a password
 */
char *
saban_ogr_describe_source (const char *source)
{
  static const struct { const char *suffix, *kind; } files[] = {
    { ".gpkg", "GeoPackage" }, { ".shp", "Shapefile" }, { ".geojson", "GeoJSON" }, { ".json", "GeoJSON" },
    { ".kml", "KML" }, { ".csv", "CSV" }, { ".fgb", "FlatGeobuf" }, { ".mbtiles", "MBTiles" },
  };
  g_autofree char *host = url_host (source);
  g_autofree char *name = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (source != NULL, NULL);

  if (g_str_has_prefix (source, "OAPIF:"))
    return g_strdup_printf (_("OGC API – Features server %s"), host != NULL ? host : _("(no address)"));
  if (g_str_has_prefix (source, "WFS:"))
    return g_strdup_printf (_("WFS server %s"), host != NULL ? host : _("(no address)"));
  if (g_str_has_prefix (source, "PG:"))
    {
      g_autofree char *db = pg_keyword (source, "dbname");
      g_autofree char *db_host = pg_keyword (source, "host");

      return g_strdup_printf (_("PostGIS database “%s” on %s"), db != NULL ? db : "?",
                              db_host != NULL ? db_host : _("this computer"));
    }
  if (host != NULL)
    return g_strdup_printf (_("Online data on %s"), host);
  name = g_path_get_basename (source);
  lower = g_ascii_strdown (name, -1);
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    if (g_str_has_suffix (lower, files[i].suffix))
      /* TRANSLATORS: a file's kind (GeoPackage, Shapefile…) and its name */
      return g_strdup_printf (_("%s file “%s”"), files[i].kind, name);
  return g_strdup_printf (_("File “%s”"), name);
}

static gpointer
register_gdal (gpointer data)
{
  GDALAllRegister ();
  return NULL;
}

static void
unset_timeouts (gboolean timeout,
                gboolean connect_timeout)
{
  if (timeout)
    CPLSetThreadLocalConfigOption ("GDAL_HTTP_TIMEOUT", NULL);
  if (connect_timeout)
    CPLSetThreadLocalConfigOption ("GDAL_HTTP_CONNECTTIMEOUT", NULL);
}

static GPtrArray *
read_all (const char      *path,
          const char * const *only,
          const char      *default_crs,
          GCancellable    *cancellable,
          const Progress  *progress,
          GError         **error)
{
  static GOnce gdal_once = G_ONCE_INIT;
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *shown = saban_ogr_redact (path);
  /* Opened with the stored password if it has none; kept, and known to the
   * layers, without it. */
  g_autofree char *full = saban_credentials_attach (path);
  g_autofree char *kept = saban_credentials_strip (full, NULL);
  /* Servers are read page by page; GDAL 3.6's OAPIF needs the page size. */
  const char *paged[] = { "PAGE_SIZE=1000", NULL };
  /* CSV: positions from a WKT column or from longitude/latitude columns,
   * under the names people give them, Vietnamese ones too. */
  const char *csv[] = { "GEOM_POSSIBLE_NAMES=wkt,WKT,geom,geometry,the_geom",
                        "X_POSSIBLE_NAMES=lon,lng,long,longitude,x,kinh_do,kinhdo,Lon,Longitude,X",
                        "Y_POSSIBLE_NAMES=lat,latitude,y,vi_do,vido,Lat,Latitude,Y",
                        "KEEP_GEOM_COLUMNS=NO", NULL };
  gboolean remote = g_str_has_prefix (path, "OAPIF:") || g_str_has_prefix (path, "WFS:");
  gboolean is_csv = g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".CSV");
  gboolean set_timeout, set_connect_timeout;
  GDALDatasetH ds;
  int n_layers;
  gint64 total = 0, done = 0;
  GError *local_error = NULL;
  RemoteTrouble trouble = { 0 };

  g_once (&gdal_once, register_gdal, NULL);

  CPLPushErrorHandlerEx (note_remote_trouble, &trouble);
  CPLErrorReset ();
  /* A dead or stalled server must fail in bounded time, not hang the reader;
   * a timeout the process was given (GDAL_HTTP_TIMEOUT) wins. Undone at the
   * end: the caller's thread keeps its own settings. */
  set_timeout = CPLGetConfigOption ("GDAL_HTTP_TIMEOUT", NULL) == NULL;
  set_connect_timeout = CPLGetConfigOption ("GDAL_HTTP_CONNECTTIMEOUT", NULL) == NULL;
  if (set_timeout)
    CPLSetThreadLocalConfigOption ("GDAL_HTTP_TIMEOUT", "30");
  if (set_connect_timeout)
    CPLSetThreadLocalConfigOption ("GDAL_HTTP_CONNECTTIMEOUT", "10");
  ds = GDALOpenEx (full, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, remote ? paged : is_csv ? csv : NULL, NULL);
  if (ds == NULL)
    {
      g_autofree char *reason = saban_ogr_reason ();

      g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN, _("Cannot open “%s”: %s"), shown, reason);
      CPLPopErrorHandler ();
      unset_timeouts (set_timeout, set_connect_timeout);
      return NULL;
    }

  n_layers = GDALDatasetGetLayerCount (ds);
  for (int i = 0; i < n_layers; i++)
    if (only == NULL || g_strv_contains (only, OGR_L_GetName (GDALDatasetGetLayer (ds, i))))
      total += MAX (1, OGR_L_GetFeatureCount (GDALDatasetGetLayer (ds, i), FALSE));

  for (int i = 0; i < n_layers && local_error == NULL; i++)
    {
      OGRLayerH layer = GDALDatasetGetLayer (ds, i);

      if (only != NULL && !g_strv_contains (only, OGR_L_GetName (layer)))
        continue;
      gint64 count = MAX (1, OGR_L_GetFeatureCount (layer, FALSE));
      SabanVectorLayer *read;

      read = read_layer (kept, shown, layer, default_crs, cancellable, progress,
                         (double) done / total, (double) count / total, &local_error);
      done += count;
      if (read != NULL)
        g_ptr_array_add (layers, read);
    }
  GDALClose (ds);
  CPLPopErrorHandler ();
  unset_timeouts (set_timeout, set_connect_timeout);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (layers->len == 0)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA,
                   _("“%s” holds no layer with geometry"), shown);
      return NULL;
    }
  saban_credentials_keep (full);
  return g_steal_pointer (&layers);
}

/**
 * saban_ogr_read:
 * @path: a file name or any GDAL connection string
 * @default_crs: (nullable): the CRS assumed for layers that carry none;
 *   %NULL to fail with %SABAN_ERROR_NEEDS_CRS and let the user choose
 * @progress: (nullable) (scope call): called with the fraction read so far
 *
 * Reads every layer with geometry. Blocks: call it from a worker thread.
 *
 * Returns: (transfer container) (element-type SabanVectorLayer): the layers
 */
GPtrArray *
saban_ogr_read (const char         *path,
                const char         *default_crs,
                GCancellable       *cancellable,
                SabanProgressFunc   progress,
                gpointer            progress_data,
                GError            **error)
{
  Progress proto = { progress, progress_data, NULL, 0, NULL };

  return read_all (path, NULL, default_crs, cancellable, &proto, error);
}

typedef struct
{
  char *path;
  char **only;
  char *default_crs;
  SabanProgressFunc progress;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
} ReadData;

static void
read_data_free (gpointer user_data)
{
  ReadData *data = user_data;

  g_free (data->path);
  g_strfreev (data->only);
  g_free (data->default_crs);
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_free (data);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadData *data = task_data;
  Progress proto = { data->progress, data->progress_data, g_task_get_context (task), 0, NULL };
  GError *error = NULL;
  GPtrArray *layers;

  layers = read_all (data->path, (const char * const *) data->only, data->default_crs, cancellable, &proto, &error);
  if (layers == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, layers, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * saban_ogr_read_async:
 * @only: (nullable): the names of the layers to read; %NULL for all
 * @progress: (nullable): called on the caller's main context as layers are read
 *
 * Reads like saban_ogr_read() in a worker thread.
 */
void
saban_ogr_read_async (const char          *path,
                      const char * const  *only,
                      const char          *default_crs,
                      GCancellable        *cancellable,
                      SabanProgressFunc    progress,
                      gpointer             progress_data,
                      GDestroyNotify       progress_destroy,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  data->path = g_strdup (path);
  data->only = g_strdupv ((char **) only);
  data->default_crs = g_strdup (default_crs);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  g_task_set_source_tag (task, saban_ogr_read_async);
  g_task_set_task_data (task, data, read_data_free);
  g_task_run_in_thread (task, read_thread);
}

/**
 * saban_ogr_read_finish:
 *
 * Returns: (transfer container) (element-type SabanVectorLayer): the layers
 */
GPtrArray *
saban_ogr_read_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  static GOnce gdal_once = G_ONCE_INIT;
  const char *path = task_data;
  g_autofree char *shown = saban_ogr_redact (path);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  RemoteTrouble trouble = { 0 };
  GDALDatasetH ds;

  g_once (&gdal_once, register_gdal, NULL);
  CPLPushErrorHandlerEx (note_remote_trouble, &trouble);
  CPLErrorReset ();
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  if (ds == NULL)
    {
      g_autofree char *reason = saban_ogr_reason ();

      g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_OPEN, _("Cannot open “%s”: %s"), shown, reason);
      CPLPopErrorHandler ();
      return;
    }
  for (int i = 0; i < GDALDatasetGetLayerCount (ds); i++)
    {
      OGRLayerH layer = GDALDatasetGetLayer (ds, i);
      if (OGR_FD_GetGeomFieldCount (OGR_L_GetLayerDefn (layer)) > 0)
        g_strv_builder_add (names, OGR_L_GetName (layer));
    }
  GDALClose (ds);
  CPLPopErrorHandler ();
  g_task_return_pointer (task, g_strv_builder_end (names), (GDestroyNotify) g_strfreev);
}

/**
 * saban_ogr_list_layers_async:
 *
 * Lists the layers with geometry of @path in a worker thread, without reading them.
 */
void
saban_ogr_list_layers_async (const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, saban_ogr_list_layers_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, list_thread);
}

/**
 * saban_ogr_list_layers_finish:
 *
 * Returns: (transfer full): the layer names
 */
char **
saban_ogr_list_layers_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
