/* saban-ogr-reader.c: every vector layer of anything GDAL/OGR opens, read
 * through the Arrow C stream into SabanVectorLayer arrays in Web Mercator.
 *
 * Reading goes batch by batch: WKB is decoded straight into the flat arrays,
 * attributes into typed columns, and each batch's new points are
 * reprojected in one PROJ call.
 *
 * Over a thousand lines: the WKB decoder, the Arrow column readers and the
 * batch loop share the batch's state; the WKB decoder could move to a file
 * of its own.
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
#include <stdlib.h>
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
  SabanFieldType type;
  char format;          /* the Arrow format's first letter: u c s i l … ; 't' for times, '+' lists */
  char element;         /* a list's element format */
  gint64 unit;          /* times: Arrow units per millisecond, or its inverse when negative */
  gint64 offset_ms;     /* timestamps with a time zone: its offset, so wall time is kept */
  gboolean wide;        /* 64-bit offsets (U, +L) or values (tdm, ttu, ttn) */
  gboolean dates_late;  /* see arrow_dates_late() */
} AttributeColumn;

/* "tss:", "tsm:", "tsu:", "tsn:" → units per ms (negative: ms per unit). */
static gint64
time_unit (char unit)
{
  switch (unit)
    {
    case 's': return -1000;
    case 'm': return 1;
    case 'u': return 1000;
    case 'n': default: return 1000000;
    }
}

static gint64
to_ms (gint64 value,
       gint64 unit)
{
  if (unit < 0)
    return value * -unit;
  /* floor, so times before 1970 stay on their day */
  return value >= 0 ? value / unit : -((-value + unit - 1) / unit);
}

/* A time zone as Arrow writes it ("+07:00", "UTC", "Etc/UTC"). */
static gint64
zone_offset_ms (const char *zone)
{
  g_autoptr(GTimeZone) tz = NULL;

  if (zone == NULL || *zone == '\0')
    return 0;
  tz = g_time_zone_new_identifier (zone);
  return tz != NULL ? (gint64) g_time_zone_get_offset (tz, 0) * 1000 : 0;
}

static gboolean
describe_arrow (const struct ArrowSchema *schema,
                AttributeColumn          *column)
{
  const char *format = schema->format;

  column->format = format[0];
  column->wide = FALSE;
  column->unit = 1;
  column->offset_ms = 0;
  if (format[0] == '+' && (format[1] == 'l' || format[1] == 'L') && format[2] == '\0' && schema->n_children == 1)
    {
      const char *element = schema->children[0]->format;

      column->wide = format[1] == 'L';
      if (element[1] != '\0')
        return FALSE;
      column->element = element[0];
      switch (element[0])
        {
        case 'c': case 's': case 'i': case 'l': column->type = SABAN_FIELD_INTEGER_LIST; return TRUE;
        case 'f': case 'g': column->type = SABAN_FIELD_REAL_LIST; return TRUE;
        case 'u': column->type = SABAN_FIELD_STRING_LIST; return TRUE;
        default: return FALSE;
        }
    }
  if (format[0] == 't' && format[1] == 'd')
    {
      column->type = SABAN_FIELD_DATE;
      column->wide = format[2] == 'm';
      return format[2] == 'D' || format[2] == 'm';
    }
  if (format[0] == 't' && format[1] == 't' && format[2] != '\0')
    {
      column->type = SABAN_FIELD_TIME;
      column->unit = time_unit (format[2]);
      column->wide = format[2] == 'u' || format[2] == 'n';
      return TRUE;
    }
  if (format[0] == 't' && format[1] == 's' && format[2] != '\0' && format[3] == ':')
    {
      column->type = SABAN_FIELD_DATETIME;
      column->unit = time_unit (format[2]);
      column->offset_ms = zone_offset_ms (format + 4);
      column->wide = TRUE;
      return TRUE;
    }
  if (format[1] != '\0')
    return FALSE;
  switch (format[0])
    {
    case 'u': case 'U':
      column->type = SABAN_FIELD_STRING;
      column->wide = format[0] == 'U';
      return TRUE;
    case 'c': case 's': case 'i': case 'l': case 'C': case 'S': case 'I': case 'L':
      column->type = SABAN_FIELD_INTEGER;
      return TRUE;
    case 'b':
      column->type = SABAN_FIELD_BOOLEAN;
      return TRUE;
    case 'f': case 'g':
      column->type = SABAN_FIELD_REAL;
      return TRUE;
    default:
      return FALSE;
    }
}

/* Value @i (offset applied) of a fixed-width numeric Arrow array of @format. */
static gint64
arrow_integer (const void *values,
               char        format,
               gint64      i)
{
  switch (format)
    {
    case 'c': return ((const gint8 *) values)[i];
    case 'C': return ((const guint8 *) values)[i];
    case 's': return ((const gint16 *) values)[i];
    case 'S': return ((const guint16 *) values)[i];
    case 'i': return ((const gint32 *) values)[i];
    case 'I': return ((const guint32 *) values)[i];
    case 'L': return (gint64) MIN (((const guint64 *) values)[i], (guint64) G_MAXINT64);
    case 'b': return (((const guint8 *) values)[i / 8] >> (i % 8)) & 1;
    case 'l': default: return ((const gint64 *) values)[i];
    }
}

static double
arrow_real (const void *values,
            char        format,
            gint64      i)
{
  return format == 'f' ? ((const float *) values)[i] : ((const double *) values)[i];
}

/* The start and end of element @i of a variable-size array (strings, lists). */
static void
arrow_span (const struct ArrowArray *a,
            gboolean                 wide,
            gint64                   i,
            gint64                  *start,
            gint64                  *end)
{
  if (wide)
    {
      *start = ((const gint64 *) a->buffers[1])[i];
      *end = ((const gint64 *) a->buffers[1])[i + 1];
    }
  else
    {
      *start = ((const gint32 *) a->buffers[1])[i];
      *end = ((const gint32 *) a->buffers[1])[i + 1];
    }
}

/* GDAL 3.6's generic Arrow stream (every driver but GeoPackage, Parquet and
 * Arrow, which have their own) writes a date before 1970 one day late
 * (1969-12-31 as day 0): it counts days from noon and cuts towards zero. */
static gboolean
arrow_dates_late (GDALDatasetH dataset)
{
  const char *driver = GDALGetDriverShortName (GDALGetDatasetDriver (dataset));

  return atoi (GDALVersionInfo ("VERSION_NUM")) < 3070000 &&
         !g_str_equal (driver, "GPKG") && !g_str_equal (driver, "Parquet") && !g_str_equal (driver, "Arrow");
}

static void
append_list (SabanAttributeTable     *table,
             const AttributeColumn   *column,
             const struct ArrowArray *a,
             gint64                   i)
{
  const struct ArrowArray *items = a->children[0];
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  gint64 start, end;

  arrow_span (a, column->wide, i, &start, &end);
  for (gint64 k = start; k < end; k++)
    {
      gint64 e = items->offset + k;

      if (!arrow_is_valid (items, k))
        g_ptr_array_add (texts, g_strdup (""));
      else if (column->element == 'u')
        {
          gint64 s0, s1;

          arrow_span (items, FALSE, e, &s0, &s1);
          g_ptr_array_add (texts, g_strndup ((const char *) items->buffers[2] + s0, s1 - s0));
        }
      else if (column->type == SABAN_FIELD_REAL_LIST)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_ptr_array_add (texts, g_strdup (g_ascii_dtostr (buf, sizeof buf, arrow_real (items->buffers[1], column->element, e))));
        }
      else
        g_ptr_array_add (texts, g_strdup_printf ("%" G_GINT64_FORMAT, arrow_integer (items->buffers[1], column->element, e)));
    }
  saban_attribute_table_append_list (table, column->field, (const char * const *) texts->pdata, texts->len);
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
  switch (column->type)
    {
    case SABAN_FIELD_STRING:
      {
        gint64 start, end;

        arrow_span (a, column->wide, i, &start, &end);
        saban_attribute_table_append_string (table, column->field, (const char *) a->buffers[2] + start, end - start);
      }
      break;
    case SABAN_FIELD_INTEGER:
    case SABAN_FIELD_BOOLEAN:
      saban_attribute_table_append_integer (table, column->field, arrow_integer (a->buffers[1], column->format, i));
      break;
    case SABAN_FIELD_DATE:
      if (column->wide)
        saban_attribute_table_append_integer (table, column->field, ((const gint64 *) a->buffers[1])[i] / 86400000);
      else
        {
          gint32 days = ((const gint32 *) a->buffers[1])[i];

          saban_attribute_table_append_integer (table, column->field, days < 0 && column->dates_late ? days - 1 : days);
        }
      break;
    case SABAN_FIELD_TIME:
    case SABAN_FIELD_DATETIME:
      {
        gint64 value = column->wide ? ((const gint64 *) a->buffers[1])[i] : ((const gint32 *) a->buffers[1])[i];

        saban_attribute_table_append_integer (table, column->field, to_ms (value, column->unit) + column->offset_ms);
      }
      break;
    case SABAN_FIELD_INTEGER_LIST:
    case SABAN_FIELD_REAL_LIST:
    case SABAN_FIELD_STRING_LIST:
      append_list (table, column, a, i);
      break;
    case SABAN_FIELD_REAL:
    default:
      saban_attribute_table_append_real (table, column->field, arrow_real (a->buffers[1], column->format, i));
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

/**
 * saban_ogr_crs_definition:
 *
 * The CRS as PROJ should see it: "EPSG:n" when it has that identity, so the
 * VN-2000 path is recognised; WKT2 otherwise.
 *
 * Returns: (transfer full) (nullable): the definition
 */
char *
saban_ogr_crs_definition (OGRSpatialReferenceH srs)
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

/* Attribute columns: every child of the batch but the geometry and the FID,
 * of every type GDAL reports (strings, numbers, booleans, dates, times,
 * lists); only binary fields are not read. */
static GArray *
attribute_columns (const struct ArrowSchema *schema,
                   int                       geom_col,
                   int                       fid_col,
                   gboolean                  dates_late,
                   SabanAttributeTable      *table)
{
  GArray *columns = g_array_new (FALSE, FALSE, sizeof (AttributeColumn));

  for (gint64 i = 0; i < schema->n_children; i++)
    {
      AttributeColumn column = { 0 };

      if (i == geom_col || i == fid_col || !describe_arrow (schema->children[i], &column))
        continue;
      column.child = (int) i;
      column.dates_late = dates_late;
      column.field = saban_attribute_table_add_field (table, schema->children[i]->name, column.type);
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
            gboolean        dates_late,
            const char     *default_crs,
            GCancellable   *cancellable,
            const SabanProgress *progress,
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
  /* Small batches: at 65 536 features each GDAL's buffers (tens of MB of
   * WKB for 1.6 M points) end up in the heap once glibc has raised its mmap
   * threshold, and peak RSS with them (irregular 200 k parcels: 172 → 141 MB). */
  const char *stream_options[] = { "MAX_FEATURES_IN_BATCH=8192", NULL };
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
      crs = saban_ogr_crs_definition (srs);
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
  columns = attribute_columns (&schema, geom_col, fid_col, dates_late, b.attributes);

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
        saban_progress_report (progress, done_before + share * MIN (1.0, (double) seen / expected), name);
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
  const char *skip = CPLGetConfigOption ("GDAL_SKIP", NULL);
  g_autofree char *skipped = skip != NULL ? g_strconcat (skip, " GPSBabel", NULL) : g_strdup ("GPSBabel");

  CPLSetConfigOption ("GDAL_SKIP", skipped);
  GDALAllRegister ();
  return NULL;
}

/**
 * saban_ogr_register:
 *
 * Registers GDAL's drivers, once per process, from any thread; drivers
 * registered before lose those that follow GDAL_SKIP. A file never makes
 * the process run another program: GDAL's GPSBabel driver, which hands
 * what looks like GPS data (whatever the file's name) to the gpsbabel
 * program, is skipped, and stays skipped if GDALAllRegister() runs again.
 */
void
saban_ogr_register (void)
{
  static GOnce gdal_once = G_ONCE_INIT;

  g_once (&gdal_once, register_gdal, NULL);
}

/* CSV: positions from a WKT column or from longitude/latitude columns,
 * under the names people give them, Vietnamese ones too, in any case; the
 * first name found is taken, longitude and latitude as a pair */
static const char *const csv_wkt_names[] = { "wkt", "geom", "geometry", "the_geom" };
static const char *const csv_xy_names[][2] = {
  { "lon", "lat" }, { "lng", "lat" }, { "long", "lat" }, { "longitude", "latitude" },
  { "kinh_do", "vi_do" }, { "kinhdo", "vido" }, { "x", "y" },
};

static gboolean
is_position_name (const char *folded)
{
  for (gsize i = 0; i < G_N_ELEMENTS (csv_wkt_names); i++)
    if (g_str_equal (folded, csv_wkt_names[i]))
      return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (csv_xy_names); i++)
    if (g_str_equal (folded, csv_xy_names[i][0]) || g_str_equal (folded, csv_xy_names[i][1]))
      return TRUE;
  return FALSE;
}

/* GDAL's open options for the CSV at @path: its position columns named as
 * its header spells them, one of each. Told every name it might take,
 * GDAL 3.6 reads past its own field list when two columns match ("x,x,y",
 * "x,kinh_do,vi_do"; found by fuzz-ogr-csv). A position's name given to two
 * columns is refused: which holds the positions could not be told. A header
 * that cannot be read gets no names: the open that follows says why. */
static GStrv
csv_options (const char *path, const char *shown, GError **error)
{
  const char *const drivers[] = { "CSV", NULL };
  GDALDatasetH dataset = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
  g_autoptr(GHashTable) columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GPtrArray *options;
  OGRFeatureDefnH defn = dataset != NULL && GDALDatasetGetLayerCount (dataset) > 0
                           ? OGR_L_GetLayerDefn (GDALDatasetGetLayer (dataset, 0)) : NULL;

  for (int i = 0; defn != NULL && i < OGR_FD_GetFieldCount (defn); i++)
    {
      const char *name = OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i));
      char *folded = g_utf8_casefold (name, -1);

      if (!g_hash_table_contains (columns, folded))
        g_hash_table_insert (columns, folded, g_strdup (name));
      else if (is_position_name (folded))
        {
          g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN,
                       _("Cannot open “%s”: two columns are named “%s”, and which holds the positions cannot be "
                         "told. Rename one of them and open the file again."),
                       shown, name);
          g_free (folded);
          GDALClose (dataset);
          return NULL;
        }
      else
        g_free (folded);
    }
  g_clear_pointer (&dataset, GDALClose);

  options = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  g_ptr_array_add (options, g_strdup ("KEEP_GEOM_COLUMNS=NO"));
  for (gsize i = 0; i < G_N_ELEMENTS (csv_wkt_names); i++)
    {
      const char *wkt = g_hash_table_lookup (columns, csv_wkt_names[i]);

      if (wkt != NULL)
        {
          g_ptr_array_add (options, g_strconcat ("GEOM_POSSIBLE_NAMES=", wkt, NULL));
          break;
        }
    }
  for (gsize i = 0; i < G_N_ELEMENTS (csv_xy_names); i++)
    {
      const char *x = g_hash_table_lookup (columns, csv_xy_names[i][0]);
      const char *y = g_hash_table_lookup (columns, csv_xy_names[i][1]);

      if (x != NULL && y != NULL)
        {
          g_ptr_array_add (options, g_strconcat ("X_POSSIBLE_NAMES=", x, NULL));
          g_ptr_array_add (options, g_strconcat ("Y_POSSIBLE_NAMES=", y, NULL));
          break;
        }
    }
  return (GStrv) g_ptr_array_free (options, FALSE);
}

struct _SabanOgrSource
{
  GDALDatasetH dataset;
  char *full;     /* with the stored password */
  char *kept;     /* without it, as layers know the source */
  char *shown;    /* for messages: a file's name, a connection redacted */
  gboolean set_timeout;
  gboolean set_connect_timeout;
  RemoteTrouble trouble;   /* what GDAL's HTTP client met, while open */
};

/**
 * saban_ogr_source_open:
 * @path: a file name or any GDAL connection string
 *
 * Opens a vector source as the reader does: with the password the Secret
 * Service keeps for it, servers read page by page in bounded time, CSV
 * positions found under the names people give them. GDAL's messages are
 * quiet and the timeouts set on this thread until the source is closed:
 * close it on the thread that opened it. Blocks.
 *
 * Returns: (transfer full): the open source, or %NULL with @error set (translated)
 */
SabanOgrSource *
saban_ogr_source_open (const char  *path,
                       GError     **error)
{
  g_autoptr(SabanOgrSource) self = g_new0 (SabanOgrSource, 1);
  /* Servers are read page by page; GDAL 3.6's OAPIF needs the page size. */
  const char *paged[] = { "PAGE_SIZE=1000", NULL };
  gboolean remote = g_str_has_prefix (path, "OAPIF:") || g_str_has_prefix (path, "WFS:");
  gboolean is_csv = g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".CSV");
  g_auto(GStrv) csv = NULL;

  saban_ogr_register ();
  /* a file by its name (its folder says nothing to the user), anything
   * with a colon (a connection string, a URL) without its password */
  self->shown = strchr (path, ':') == NULL ? g_path_get_basename (path) : saban_ogr_redact (path);
  /* Opened with the stored password if it has none; kept, and known to the
   * layers, without it. */
  self->full = saban_credentials_attach (path);
  self->kept = saban_credentials_strip (self->full, NULL);

  CPLPushErrorHandlerEx (note_remote_trouble, &self->trouble);
  CPLErrorReset ();
  /* A dead or stalled server must fail in bounded time, not hang the reader;
   * a timeout the process was given (GDAL_HTTP_TIMEOUT) wins. Undone when
   * closed: the caller's thread keeps its own settings. */
  self->set_timeout = CPLGetConfigOption ("GDAL_HTTP_TIMEOUT", NULL) == NULL;
  self->set_connect_timeout = CPLGetConfigOption ("GDAL_HTTP_CONNECTTIMEOUT", NULL) == NULL;
  if (self->set_timeout)
    CPLSetThreadLocalConfigOption ("GDAL_HTTP_TIMEOUT", "30");
  if (self->set_connect_timeout)
    CPLSetThreadLocalConfigOption ("GDAL_HTTP_CONNECTTIMEOUT", "10");
  if (is_csv && !remote && (csv = csv_options (self->full, self->shown, error)) == NULL)
    return NULL;
  self->dataset = GDALOpenEx (self->full, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                              remote ? paged : (const char *const *) csv, NULL);
  if (self->dataset == NULL)
    {
      g_autofree char *reason = saban_ogr_reason ();

      g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN, _("Cannot open “%s”: %s"), self->shown, reason);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * saban_ogr_source_get_dataset:
 *
 * Returns: (transfer none): the GDAL dataset
 */
GDALDatasetH
saban_ogr_source_get_dataset (SabanOgrSource *self)
{
  return self->dataset;
}

/**
 * saban_ogr_source_get_shown:
 *
 * Returns: the source's name with any password hidden, for messages
 */
const char *
saban_ogr_source_get_shown (SabanOgrSource *self)
{
  return self->shown;
}

/**
 * saban_ogr_source_close:
 *
 * Closes the dataset and gives the thread its GDAL settings back.
 */
void
saban_ogr_source_close (SabanOgrSource *self)
{
  if (self->dataset != NULL)
    GDALClose (self->dataset);
  if (self->full != NULL)
    {
      CPLPopErrorHandler ();
      if (self->set_timeout)
        CPLSetThreadLocalConfigOption ("GDAL_HTTP_TIMEOUT", NULL);
      if (self->set_connect_timeout)
        CPLSetThreadLocalConfigOption ("GDAL_HTTP_CONNECTTIMEOUT", NULL);
    }
  g_free (self->full);
  g_free (self->kept);
  g_free (self->shown);
  g_free (self);
}

static GPtrArray *
read_all (const char      *path,
          const char * const *only,
          const char      *default_crs,
          GCancellable    *cancellable,
          const SabanProgress  *progress,
          GError         **error)
{
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SabanOgrSource) source = saban_ogr_source_open (path, error);
  GDALDatasetH ds;
  int n_layers;
  gint64 total = 0, done = 0;
  GError *local_error = NULL;

  if (source == NULL)
    return NULL;
  ds = source->dataset;
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

      read = read_layer (source->kept, source->shown, layer, arrow_dates_late (ds), default_crs, cancellable, progress,
                         (double) done / total, (double) count / total, &local_error);
      done += count;
      if (read != NULL)
        g_ptr_array_add (layers, read);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (layers->len == 0)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA,
                   _("“%s” holds no layer with geometry"), source->shown);
      return NULL;
    }
  saban_credentials_keep (source->full);
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
  SabanProgress proto = { progress, progress_data, NULL };

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
  SabanProgress proto = { data->progress, data->progress_data, g_task_get_context (task) };
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
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(SabanOgrSource) source = NULL;
  GError *error = NULL;

  source = saban_ogr_source_open (task_data, &error);
  if (source == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (int i = 0; i < GDALDatasetGetLayerCount (source->dataset); i++)
    {
      OGRLayerH layer = GDALDatasetGetLayer (source->dataset, i);
      if (OGR_FD_GetGeomFieldCount (OGR_L_GetLayerDefn (layer)) > 0)
        g_strv_builder_add (names, OGR_L_GetName (layer));
    }
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
