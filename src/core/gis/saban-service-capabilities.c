/* saban-service-capabilities.c: the layers a WMS (1.1.1, 1.3.0) or WMS-T
 * (1.0.0) server offers, read from its GetCapabilities document with GLib's
 * GMarkup (no XML library: the documents are plain XML, and what is read is
 * little — names, titles, styles, formats, CRSs, tile matrix sets).
 *
 * Element names are compared without their namespace prefix (`ows:Title`
 * is `Title`). WMS layers inherit their parents' CRSs; a layer without a
 * Name is a group, not requestable. A WMS-T layer is drawable when one of
 * the matrix sets it links is in Web Mercator (EPSG:3857/900913) and holds
 * matrices of 256 px tiles at the map's scales (559 082 264 / 2^z, 1 %)
 * from the map's top-left corner: their identifiers, whatever they are
 * ("7", "EPSG:3857:7", "L07"), are kept by zoom, as the server names them.
 * Any other set (EPSG:4326, VN-2000, other scales) gives the layer a
 * reason it is refused. The document is bounded and a hostile one fails
 * with a message, nothing else.
 */
#include "saban-service-capabilities.h"
#include "saban-error.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#define MAX_DOCUMENT (8 * 1024 * 1024)
#define MAX_LAYERS 5000
#define MAX_DEPTH 64
#define MAX_SETS 100
#define WEB_MERCATOR_HALF 20037508.342789244
/* the scale denominator of zoom 0 of the map's grid, at OGC's 0.28 mm pixel */
#define ZOOM0_SCALE 559082264.0287178

/* A WMS-T TileMatrixSet, as the map can use it. */
typedef struct
{
  char *crs;
  char *by_zoom[SABAN_SERVICE_MAX_ZOOM + 1];  /* matrix identifier per zoom of the map, or NULL */
  guint matched;
} MatrixSet;

/* The TileMatrix being read. */
typedef struct
{
  char *id;
  double scale, left, top;
  guint width, height;
  gboolean has_corner;
} Matrix;

typedef struct
{
  char *name, *title;
  GPtrArray *styles, *formats, *sets;
  char *tile_template;
  gboolean web_mercator;  /* WMS: EPSG:3857 among its CRSs or its parents' */
} Draft;

typedef struct
{
  SabanServiceKind kind;
  GPtrArray *path;          /* element local names, root first */
  GPtrArray *drafts;        /* Draft being read, innermost last (WMS nests layers) */
  GPtrArray *pending;       /* WMS-T Drafts read, waiting for the matrix sets after them */
  GPtrArray *layers;        /* SabanServiceLayer, done */
  GPtrArray *map_formats;   /* WMS GetMap formats */
  GHashTable *sets;         /* WMS-T: identifier → MatrixSet */
  char *set_id;             /* WMS-T: the TileMatrixSet being read */
  MatrixSet *set;
  Matrix matrix;            /* WMS-T: the TileMatrix being read */
  GString *text;
  char *version;
} Reader;

static void
draft_free (Draft *d)
{
  g_free (d->name);
  g_free (d->title);
  g_ptr_array_unref (d->styles);
  g_ptr_array_unref (d->formats);
  g_ptr_array_unref (d->sets);
  g_free (d->tile_template);
  g_free (d);
}

static void
matrix_set_free (MatrixSet *set)
{
  g_free (set->crs);
  for (guint z = 0; z <= SABAN_SERVICE_MAX_ZOOM; z++)
    g_free (set->by_zoom[z]);
  g_free (set);
}

/**
 * saban_service_layer_free:
 */
void
saban_service_layer_free (SabanServiceLayer *layer)
{
  g_free (layer->name);
  g_free (layer->title);
  g_strfreev (layer->styles);
  g_strfreev (layer->formats);
  g_free (layer->matrix_set);
  g_strfreev (layer->matrices);
  g_free (layer->tile_template);
  g_free (layer->refusal);
  g_free (layer);
}

static void
set_text (char       **field,
          const char  *text)
{
  g_free (*field);
  *field = g_strdup (text);
}

static const char *
local_name (const char *element)
{
  const char *colon = strchr (element, ':');

  return colon != NULL ? colon + 1 : element;
}

/* the element @back levels above the current one, or "" */
static const char *
parent (Reader *r,
        guint   back)
{
  return r->path->len > back ? g_ptr_array_index (r->path, r->path->len - 1 - back) : "";
}

static gboolean
is_web_mercator (const char *crs)
{
  return strstr (crs, "3857") != NULL || strstr (crs, "900913") != NULL;
}

static void
on_start (GMarkupParseContext  *context,
          const char           *element,
          const char          **names,
          const char          **values,
          gpointer              user_data,
          GError              **error)
{
  Reader *r = user_data;
  const char *name = local_name (element);

  if (r->path->len >= MAX_DEPTH)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The service’s description nests too deep"));
      return;
    }
  g_ptr_array_add (r->path, g_strdup (name));
  g_string_truncate (r->text, 0);
  if (r->path->len == 1)
    for (guint i = 0; names[i] != NULL; i++)
      if (g_str_equal (names[i], "version"))
        r->version = g_strdup (values[i]);
  if (g_str_equal (name, "Layer") && (r->kind == SABAN_SERVICE_WMS || g_str_equal (parent (r, 1), "Contents")))
    {
      Draft *d = g_new0 (Draft, 1);
      Draft *outer = r->drafts->len > 0 ? g_ptr_array_index (r->drafts, r->drafts->len - 1) : NULL;

      d->styles = g_ptr_array_new_with_free_func (g_free);
      d->formats = g_ptr_array_new_with_free_func (g_free);
      d->sets = g_ptr_array_new_with_free_func (g_free);
      d->web_mercator = outer != NULL && outer->web_mercator;
      g_ptr_array_add (r->drafts, d);
    }
  else if (g_str_equal (name, "TileMatrixSet") && g_str_equal (parent (r, 1), "Contents"))
    {
      g_clear_pointer (&r->set_id, g_free);
      g_clear_pointer (&r->set, matrix_set_free);
      r->set = g_new0 (MatrixSet, 1);
    }
  else if (g_str_equal (name, "TileMatrix") && g_str_equal (parent (r, 1), "TileMatrixSet") && r->set != NULL)
    {
      g_clear_pointer (&r->matrix.id, g_free);
      r->matrix = (Matrix) { .width = 256, .height = 256 };
    }
  else if (g_str_equal (name, "ResourceURL") && r->drafts->len > 0)
    {
      const char *type = NULL, *template = NULL;

      for (guint i = 0; names[i] != NULL; i++)
        {
          if (g_str_equal (names[i], "resourceType"))
            type = values[i];
          else if (g_str_equal (names[i], "template"))
            template = values[i];
        }
      if (g_strcmp0 (type, "tile") == 0 && template != NULL)
        {
          Draft *d = g_ptr_array_index (r->drafts, r->drafts->len - 1);

          g_free (d->tile_template);
          d->tile_template = g_strdup (template);
        }
    }
}

static void
on_text (GMarkupParseContext  *context,
         const char           *text,
         gsize                 length,
         gpointer              user_data,
         GError              **error)
{
  Reader *r = user_data;

  if (r->text->len + length < 64 * 1024)
    g_string_append_len (r->text, text, (gssize) length);
}

static GStrv
to_strv (GPtrArray *strings)
{
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv v;

  for (guint i = 0; i < strings->len; i++)
    g_strv_builder_add (b, g_ptr_array_index (strings, i));
  v = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return v;
}

/* The matrices of a set by zoom, "" where the map has no matrix, up to the
 * last zoom it has. */
static GStrv
matrices_by_zoom (const MatrixSet *set)
{
  GStrvBuilder *b = g_strv_builder_new ();
  guint last = 0;
  GStrv v;

  for (guint z = 0; z <= SABAN_SERVICE_MAX_ZOOM; z++)
    if (set->by_zoom[z] != NULL)
      last = z;
  for (guint z = 0; z <= last; z++)
    g_strv_builder_add (b, set->by_zoom[z] != NULL ? set->by_zoom[z] : "");
  v = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return v;
}

/* WMS-T: the first set linked the map can draw; else why none can */
static void
choose_matrix_set (Reader            *r,
                   Draft             *d,
                   SabanServiceLayer *layer)
{
  g_autoptr(GString) others = g_string_new (NULL);

  for (guint i = 0; i < d->sets->len; i++)
    {
      const char *id = g_ptr_array_index (d->sets, i);
      MatrixSet *set = g_hash_table_lookup (r->sets, id);

      if (set != NULL && set->matched > 0)
        {
          layer->matrix_set = g_strdup (id);
          layer->matrices = matrices_by_zoom (set);
          return;
        }
      g_string_append_printf (others, "%s%s (%s)", others->len > 0 ? ", " : "", id,
                              set != NULL && set->crs != NULL ? set->crs : "?");
    }
  layer->refusal = g_strdup_printf (_("“%s” is tiled only in %s: the map needs Web Mercator (EPSG:3857) tiles of "
                                      "256 px at its own scales, so it cannot draw this layer"),
                                    layer->title, others->len > 0 ? others->str : "—");
}

static void
finish_layer (Reader *r,
              Draft  *d)
{
  SabanServiceLayer *layer;

  if (d->name == NULL || r->layers->len >= MAX_LAYERS)
    return;
  layer = g_new0 (SabanServiceLayer, 1);
  layer->name = g_strdup (d->name);
  layer->title = g_strdup (d->title != NULL ? d->title : d->name);
  layer->styles = to_strv (d->styles);
  layer->formats = to_strv (r->kind == SABAN_SERVICE_WMS ? r->map_formats : d->formats);
  layer->tile_template = g_strdup (d->tile_template);
  if (r->kind == SABAN_SERVICE_WMTS)
    choose_matrix_set (r, d, layer);
  else if (!d->web_mercator)
    layer->refusal = g_strdup_printf (_("“%s” is not offered in Web Mercator (EPSG:3857), which the map needs"),
                                      layer->title);
  g_ptr_array_add (r->layers, layer);
}

/* The map's zoom whose grid @m is (scale, 256 px tiles, top-left corner),
 * or -1. */
static int
matrix_zoom (const Matrix *m)
{
  double z, resolution, slack;

  /* written so that NaN and infinities, from a hostile document, fail */
  if (!(m->scale > 0 && isfinite (m->scale)) || !m->has_corner || m->width != 256 || m->height != 256)
    return -1;
  z = round (log2 (ZOOM0_SCALE / m->scale));
  if (!(z >= 0 && z <= SABAN_SERVICE_MAX_ZOOM && fabs (m->scale * exp2 (z) / ZOOM0_SCALE - 1) <= 0.01))
    return -1;
  /* half a pixel, or a metre: servers round the corner to a few digits */
  resolution = 2 * WEB_MERCATOR_HALF / 256 / exp2 (z);
  slack = MAX (resolution / 2, 1.0);
  if (!(fabs (m->left + WEB_MERCATOR_HALF) <= slack && fabs (m->top - WEB_MERCATOR_HALF) <= slack))
    return -1;
  return (int) z;
}

/* text of the element ending now, in the TileMatrix being read */
static void
matrix_text (Reader     *r,
             const char *name,
             const char *text)
{
  Matrix *m = &r->matrix;
  g_auto(GStrv) corner = NULL;

  if (g_str_equal (name, "Identifier"))
    set_text (&m->id, text);
  else if (g_str_equal (name, "ScaleDenominator"))
    m->scale = g_ascii_strtod (text, NULL);
  else if (g_str_equal (name, "TileWidth"))
    m->width = (guint) g_ascii_strtoull (text, NULL, 10);
  else if (g_str_equal (name, "TileHeight"))
    m->height = (guint) g_ascii_strtoull (text, NULL, 10);
  else if (g_str_equal (name, "TopLeftCorner"))
    {
      corner = g_regex_split_simple ("\\s+", text, 0, 0);
      m->has_corner = g_strv_length (corner) == 2;
      if (m->has_corner)
        {
          m->left = g_ascii_strtod (corner[0], NULL);
          m->top = g_ascii_strtod (corner[1], NULL);
        }
    }
}

static void
finish_matrix (Reader *r)
{
  int z = r->set != NULL && r->matrix.id != NULL && *r->matrix.id != '\0' ? matrix_zoom (&r->matrix) : -1;

  if (z >= 0 && r->set->by_zoom[z] == NULL)
    {
      r->set->by_zoom[z] = g_steal_pointer (&r->matrix.id);
      r->set->matched++;
    }
  g_clear_pointer (&r->matrix.id, g_free);
}

static void
finish_matrix_set (Reader *r)
{
  MatrixSet *set = g_steal_pointer (&r->set);

  if (set->crs == NULL || !is_web_mercator (set->crs))
    set->matched = 0;
  if (r->set_id != NULL && g_hash_table_size (r->sets) < MAX_SETS && !g_hash_table_contains (r->sets, r->set_id))
    g_hash_table_insert (r->sets, g_steal_pointer (&r->set_id), set);
  else
    matrix_set_free (set);
}

/* text of the element ending now, in the layer being read */
static void
layer_text (Reader     *r,
            const char *name,
            const char *up,
            const char *text)
{
  Draft *d = g_ptr_array_index (r->drafts, r->drafts->len - 1);

  if (g_str_equal (up, "Layer") && (g_str_equal (name, "Name") || g_str_equal (name, "Identifier")))
    set_text (&d->name, text);
  else if (g_str_equal (up, "Layer") && g_str_equal (name, "Title"))
    set_text (&d->title, text);
  else if (g_str_equal (up, "Style") && (g_str_equal (name, "Name") || g_str_equal (name, "Identifier")))
    g_ptr_array_add (d->styles, g_strdup (text));
  else if (g_str_equal (up, "Layer") && (g_str_equal (name, "CRS") || g_str_equal (name, "SRS")))
    d->web_mercator |= is_web_mercator (text);
  else if (g_str_equal (up, "Layer") && g_str_equal (name, "Format"))
    g_ptr_array_add (d->formats, g_strdup (text));
  else if (g_str_equal (up, "TileMatrixSetLink") && g_str_equal (name, "TileMatrixSet"))
    g_ptr_array_add (d->sets, g_strdup (text));
}

/* an element of the TileMatrixSet being read ends (or the set itself) */
static void
set_text_end (Reader     *r,
              const char *name,
              const char *up,
              const char *text)
{
  if (g_str_equal (up, "TileMatrix") && g_str_equal (parent (r, 2), "TileMatrixSet"))
    matrix_text (r, name, text);
  else if (g_str_equal (name, "TileMatrix") && g_str_equal (up, "TileMatrixSet"))
    finish_matrix (r);
  else if (g_str_equal (up, "TileMatrixSet") && g_str_equal (name, "Identifier"))
    set_text (&r->set_id, text);
  else if (g_str_equal (up, "TileMatrixSet") && g_str_equal (name, "SupportedCRS"))
    set_text (&r->set->crs, text);
  else if (g_str_equal (name, "TileMatrixSet") && g_str_equal (up, "Contents"))
    finish_matrix_set (r);
}

static void
on_end (GMarkupParseContext  *context,
        const char           *element,
        gpointer              user_data,
        GError              **error)
{
  Reader *r = user_data;
  const char *name = local_name (element), *up = parent (r, 1);
  g_autofree char *text = g_strstrip (g_strdup (r->text->str));

  if (g_str_equal (name, "Format") && g_str_equal (up, "GetMap"))
    g_ptr_array_add (r->map_formats, g_strdup (text));
  else if (r->set != NULL)
    set_text_end (r, name, up, text);
  else if (g_str_equal (name, "Layer") && r->drafts->len > 0)
    {
      Draft *d = g_ptr_array_steal_index (r->drafts, r->drafts->len - 1);

      /* WMS-T layers wait for the matrix sets, defined after them */
      if (r->kind == SABAN_SERVICE_WMS)
        {
          finish_layer (r, d);
          draft_free (d);
        }
      else
        g_ptr_array_add (r->pending, d);
    }
  else if (r->drafts->len > 0)
    layer_text (r, name, up, text);
  g_string_truncate (r->text, 0);
  g_free (g_ptr_array_steal_index (r->path, r->path->len - 1));
}

/**
 * saban_service_capabilities_parse:
 * @kind: %SABAN_SERVICE_WMS or %SABAN_SERVICE_WMTS
 * @version: (out) (optional) (transfer full): the document's version
 *
 * Returns: (transfer full) (element-type SabanServiceLayer): the layers
 *   (WMS: those with a name), in the document's order; %NULL with @error
 *   for a document that is not one
 */
GPtrArray *
saban_service_capabilities_parse (SabanServiceKind   kind,
                                  const char        *xml,
                                  gsize              length,
                                  char             **version,
                                  GError           **error)
{
  static const GMarkupParser parser = { on_start, on_end, on_text, NULL, NULL };
  Reader r = {
    .kind = kind,
    .path = g_ptr_array_new_with_free_func (g_free),
    .drafts = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_free),
    .pending = g_ptr_array_new_with_free_func ((GDestroyNotify) draft_free),
    .layers = g_ptr_array_new_with_free_func ((GDestroyNotify) saban_service_layer_free),
    .map_formats = g_ptr_array_new_with_free_func (g_free),
    .sets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) matrix_set_free),
    .text = g_string_new (NULL),
  };
  GMarkupParseContext *context;
  GError *local = NULL;
  gboolean ok;

  g_return_val_if_fail (kind == SABAN_SERVICE_WMS || kind == SABAN_SERVICE_WMTS, NULL);

  if (length > MAX_DOCUMENT || !g_utf8_validate (xml, (gssize) length, NULL))
    g_set_error (&local, SABAN_ERROR, SABAN_ERROR_PARSE, _("The service’s description is too large or not text"));
  else
    {
      context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &r, NULL);
      ok = g_markup_parse_context_parse (context, xml, (gssize) length, &local) &&
           g_markup_parse_context_end_parse (context, &local);
      g_markup_parse_context_free (context);
      if (ok && r.version == NULL)
        g_set_error (&local, SABAN_ERROR, SABAN_ERROR_PARSE, _("The answer is not a service description"));
    }
  for (guint i = 0; local == NULL && i < r.pending->len; i++)
    finish_layer (&r, g_ptr_array_index (r.pending, i));
  g_ptr_array_unref (r.path);
  g_ptr_array_unref (r.drafts);
  g_ptr_array_unref (r.pending);
  g_ptr_array_unref (r.map_formats);
  g_hash_table_unref (r.sets);
  g_string_free (r.text, TRUE);
  g_free (r.set_id);
  g_clear_pointer (&r.set, matrix_set_free);
  g_free (r.matrix.id);
  if (local != NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The map service’s description cannot be read: %s"),
                   local->message);
      g_error_free (local);
      g_free (r.version);
      g_ptr_array_unref (r.layers);
      return NULL;
    }
  if (version != NULL)
    *version = r.version;
  else
    g_free (r.version);
  return r.layers;
}
