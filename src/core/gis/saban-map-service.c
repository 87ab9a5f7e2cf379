/* saban-map-service.c: a map service a layer is drawn from — XYZ or TMS
 * tiles, a WMS layer, a WMS-T layer — as the requests it answers, no I/O.
 *
 * A service is kept, in the workspace and the layer list, as one string:
 *
 *   XYZ:https://tiles.example.vn/{z}/{x}/{y}.png
 *   TMS:https://tiles.example.vn/1.0.0/nen/{z}/{x}/{y}.png
 *   WMS:https://gis.example.vn/wms?map=qh&#layers=quy_hoach&styles=&format=image/png&version=1.3.0
 *   WMTS:https://gis.example.vn/wmts?#layer=nen&style=default&format=image/png&matrixset=GoogleMapsCompatible
 *   WMTS:https://gis.example.vn/wmts?#layer=nen&…&matrixset=WebMercator&matrices=L00%2CL01%2C…
 *
 * The server's own URL comes first, our parameters after the last '#'
 * (percent-encoded), so a server URL with its own query (MapServer's
 * `map=`) stays as it is. Every part is checked when read: an http(s) URL,
 * bounded lengths, no control characters. Tiles are always Web Mercator,
 * 256 px, the map's own grid: WMS is asked for that tile's box; WMS-T must
 * offer a matrix set on that grid (checked when its capabilities are read),
 * whose matrix identifiers by zoom the service keeps (`matrices`, index =
 * zoom, empty where the set has none): servers name them "7",
 * "EPSG:3857:7" or "L07". Without them (a service saved before, or typed)
 * the zoom number is the identifier. Fetching and caching are core/net's
 * (SabanTileCache).
 */
#include "saban-map-service.h"
#include "saban-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define WEB_MERCATOR_HALF 20037508.342789244
#define MAX_URL 2048
#define MAX_PARAM 256
#define TILE_SIZE 256
#define INFO_SIZE 101
#define MAX_MATRIX_ID 64
#define MAX_SOURCE (MAX_URL + 4 * MAX_PARAM + 3 * MAX_MATRIX_ID * (SABAN_SERVICE_MAX_ZOOM + 1))

struct _SabanMapService
{
  GObject parent_instance;

  SabanServiceKind kind;
  char *url;          /* the server's URL or tile template */
  char *layer;        /* WMS: comma-separated layers; WMS-T: one layer */
  char *style;
  char *format;
  char *version;
  char *matrix_set;   /* WMS-T */
  GStrv matrices;     /* WMS-T: the set's matrix per zoom, "" for none; NULL: the zoom number */
  char *source;       /* all of it, as one string */
};

G_DEFINE_FINAL_TYPE (SabanMapService, saban_map_service, G_TYPE_OBJECT)

static const char * const prefixes[] = { "XYZ:", "TMS:", "WMS:", "WMTS:" };

static void
saban_map_service_finalize (GObject *object)
{
  SabanMapService *self = SABAN_MAP_SERVICE (object);

  g_free (self->url);
  g_free (self->layer);
  g_free (self->style);
  g_free (self->format);
  g_free (self->version);
  g_free (self->matrix_set);
  g_strfreev (self->matrices);
  g_free (self->source);
  G_OBJECT_CLASS (saban_map_service_parent_class)->finalize (object);
}

static void
saban_map_service_class_init (SabanMapServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_map_service_finalize;
}

static void
saban_map_service_init (SabanMapService *self)
{
}

/**
 * saban_map_service_is_source:
 *
 * Returns: whether @source names a map service ("XYZ:", "TMS:", "WMS:",
 *   "WMTS:") rather than a file or a GDAL connection
 */
gboolean
saban_map_service_is_source (const char *source)
{
  for (gsize i = 0; source != NULL && i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (source, prefixes[i]))
      return TRUE;
  return FALSE;
}

static gboolean
printable (const char *text,
           gsize       max)
{
  if (text == NULL)
    return TRUE;
  if (strlen (text) > max || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static gboolean
matrices_acceptable (SabanMapService *self)
{
  if (self->matrices == NULL)
    return TRUE;
  if (g_strv_length (self->matrices) > SABAN_SERVICE_MAX_ZOOM + 1)
    return FALSE;
  for (guint z = 0; self->matrices[z] != NULL; z++)
    if (!printable (self->matrices[z], MAX_MATRIX_ID))
      return FALSE;
  return TRUE;
}

static gboolean
check (SabanMapService *self,
       GError         **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (!printable (self->url, MAX_URL) || !printable (self->layer, MAX_PARAM) || !printable (self->style, MAX_PARAM) ||
      !printable (self->format, MAX_PARAM) || !printable (self->version, 16) || !printable (self->matrix_set, MAX_PARAM))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("The map service’s address is too long or holds control characters"));
      return FALSE;
    }
  uri = g_uri_parse (self->url, G_URI_FLAGS_PARSE_RELAXED, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (scheme == NULL || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("A map service needs an http or https address, not “%s”"),
                   self->url);
      return FALSE;
    }
  if ((self->kind == SABAN_SERVICE_XYZ || self->kind == SABAN_SERVICE_TMS) &&
      (strstr (self->url, "{z}") == NULL || strstr (self->url, "{x}") == NULL || strstr (self->url, "{y}") == NULL))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                   _("A tile address must hold {z}, {x} and {y}, as in https://…/{z}/{x}/{y}.png"));
      return FALSE;
    }
  if (!matrices_acceptable (self))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("The map service’s tile matrices are too many or too long"));
      return FALSE;
    }
  if ((self->kind == SABAN_SERVICE_WMS || self->kind == SABAN_SERVICE_WMTS) && self->layer != NULL &&
      *self->layer == '\0')
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Choose a layer of the map service"));
      return FALSE;
    }
  if (self->kind == SABAN_SERVICE_WMS && g_strcmp0 (self->version, "1.1.1") != 0 && g_strcmp0 (self->version, "1.3.0") != 0)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("WMS version %s is not supported (1.1.1 or 1.3.0)"),
                   self->version);
      return FALSE;
    }
  return TRUE;
}

static void
add_param (GString    *s,
           const char *key,
           const char *value,
           gboolean   *first)
{
  g_autofree char *escaped = g_uri_escape_string (value != NULL ? value : "", NULL, FALSE);

  g_string_append_printf (s, "%s%s=%s", *first ? "" : "&", key, escaped);
  *first = FALSE;
}

/* identifiers may hold commas: each is escaped, then joined by them */
static char *
join_escaped (GStrv ids)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (ids[i], NULL, FALSE);

      g_string_append_printf (s, "%s%s", i > 0 ? "," : "", escaped);
    }
  return g_string_free (s, FALSE);
}

static GStrv
split_escaped (const char *list)
{
  GStrv ids = g_strsplit (list, ",", SABAN_SERVICE_MAX_ZOOM + 2);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      char *plain = g_uri_unescape_string (ids[i], NULL);

      g_free (ids[i]);
      ids[i] = plain != NULL ? plain : g_strdup ("\x01");   /* refused by check () */
    }
  return ids;
}

static void
make_source (SabanMapService *self)
{
  GString *s = g_string_new (prefixes[self->kind]);
  gboolean first = TRUE;

  g_string_append (s, self->url);
  if (self->kind == SABAN_SERVICE_WMS || self->kind == SABAN_SERVICE_WMTS)
    {
      g_string_append_c (s, '#');
      add_param (s, self->kind == SABAN_SERVICE_WMS ? "layers" : "layer", self->layer, &first);
      add_param (s, self->kind == SABAN_SERVICE_WMS ? "styles" : "style", self->style, &first);
      add_param (s, "format", self->format, &first);
      if (self->kind == SABAN_SERVICE_WMS)
        add_param (s, "version", self->version, &first);
      else
        add_param (s, "matrixset", self->matrix_set, &first);
      if (self->matrices != NULL)
        {
          g_autofree char *list = join_escaped (self->matrices);

          add_param (s, "matrices", list, &first);
        }
    }
  self->source = g_string_free (s, FALSE);
}

static SabanMapService *
build (SabanServiceKind    kind,
       const char         *url,
       const char         *layer,
       const char         *style,
       const char         *format,
       const char         *version,
       const char         *matrix_set,
       const char * const *matrices,
       GError            **error)
{
  g_autoptr(SabanMapService) self = g_object_new (SABAN_TYPE_MAP_SERVICE, NULL);

  self->kind = kind;
  /* spaces around a pasted address go; a control character anywhere fails check () */
  self->url = g_strdup (url != NULL ? url : "");
  if (printable (self->url, MAX_URL))
    g_strstrip (self->url);
  self->layer = g_strdup (layer);
  self->style = g_strdup (style != NULL ? style : "");
  self->format = g_strdup (format != NULL && *format != '\0' ? format : "image/png");
  self->version = g_strdup (version != NULL && *version != '\0' ? version : "1.3.0");
  self->matrix_set = g_strdup (matrix_set != NULL && *matrix_set != '\0' ? matrix_set : "GoogleMapsCompatible");
  self->matrices = kind == SABAN_SERVICE_WMTS ? g_strdupv ((char **) matrices) : NULL;
  if (!check (self, error))
    return NULL;
  make_source (self);
  return g_steal_pointer (&self);
}

/**
 * saban_map_service_new:
 * @url: the tile template (XYZ, TMS, WMS-T REST) or the server's address
 * @layer: (nullable): WMS layers (comma-separated) or the WMS-T layer;
 *   %NULL when only the capabilities are wanted
 * @style: (nullable): the style, %NULL or "" for the default
 * @format: (nullable): the image type, image/png by default
 * @version: (nullable): WMS 1.1.1 or 1.3.0 (the default)
 * @matrix_set: (nullable): the WMS-T GoogleMapsCompatible matrix set
 *
 * Returns: (transfer full) (nullable): the service, or %NULL with @error
 *   (%SABAN_ERROR_INVALID) when a part is not acceptable
 */
SabanMapService *
saban_map_service_new (SabanServiceKind  kind,
                       const char       *url,
                       const char       *layer,
                       const char       *style,
                       const char       *format,
                       const char       *version,
                       const char       *matrix_set,
                       GError          **error)
{
  g_return_val_if_fail (kind <= SABAN_SERVICE_WMTS, NULL);

  return build (kind, url, layer, style, format, version, matrix_set, NULL, error);
}

/**
 * saban_map_service_new_wmts:
 * @url: the server's address (KVP) or the REST tile template
 * @matrix_set: the set the map draws from
 * @matrices: (nullable) (array zero-terminated=1): its matrix identifier
 *   per zoom, "" where it has none, as the capabilities name them; %NULL:
 *   the zoom number
 *
 * Returns: (transfer full) (nullable): the WMS-T layer, or %NULL with
 *   @error (%SABAN_ERROR_INVALID)
 */
SabanMapService *
saban_map_service_new_wmts (const char         *url,
                            const char         *layer,
                            const char         *style,
                            const char         *format,
                            const char         *matrix_set,
                            const char * const *matrices,
                            GError            **error)
{
  return build (SABAN_SERVICE_WMTS, url, layer, style, format, NULL, matrix_set, matrices, error);
}


/**
 * saban_map_service_new_from_source:
 * @source: a service as saban_map_service_get_source() writes it
 *
 * Returns: (transfer full) (nullable): the service, or %NULL with @error
 */
SabanMapService *
saban_map_service_new_from_source (const char  *source,
                                   GError     **error)
{
  SabanServiceKind kind;
  const char *rest = NULL, *hash;
  g_autofree char *url = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_auto(GStrv) matrices = NULL;

  for (kind = SABAN_SERVICE_XYZ; kind <= SABAN_SERVICE_WMTS && rest == NULL; kind++)
    if (source != NULL && g_str_has_prefix (source, prefixes[kind]))
      rest = source + strlen (prefixes[kind]);
  kind--;
  if (rest == NULL || strlen (source) > MAX_SOURCE)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Not a map service: %s"), source != NULL ? source : "");
      return NULL;
    }
  hash = kind == SABAN_SERVICE_WMS || kind == SABAN_SERVICE_WMTS ? strrchr (rest, '#') : NULL;
  url = hash != NULL ? g_strndup (rest, hash - rest) : g_strdup (rest);
  params = hash != NULL ? g_uri_parse_params (hash + 1, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  if (hash != NULL && params == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Not a map service: %s"), source);
      return NULL;
    }
#define PARAM(key) (params != NULL ? g_hash_table_lookup (params, key) : NULL)
  matrices = PARAM ("matrices") != NULL ? split_escaped (PARAM ("matrices")) : NULL;
  return build (kind, url, kind == SABAN_SERVICE_WMS ? PARAM ("layers") : PARAM ("layer"),
                kind == SABAN_SERVICE_WMS ? PARAM ("styles") : PARAM ("style"),
                PARAM ("format"), PARAM ("version"), PARAM ("matrixset"), (const char * const *) matrices, error);
#undef PARAM
}

SabanServiceKind
saban_map_service_get_kind (SabanMapService *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_SERVICE (self), SABAN_SERVICE_XYZ);
  return self->kind;
}

/**
 * saban_map_service_get_source:
 * Returns: the service as one string (the workspace keeps it)
 */
const char *
saban_map_service_get_source (SabanMapService *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_SERVICE (self), NULL);
  return self->source;
}

/**
 * saban_map_service_get_url:
 * Returns: the server's address or tile template
 */
const char *
saban_map_service_get_url (SabanMapService *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_SERVICE (self), NULL);
  return self->url;
}

const char *
saban_map_service_get_layer (SabanMapService *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_SERVICE (self), NULL);
  return self->layer;
}

/**
 * saban_map_service_get_title:
 * Returns: what the layer list first calls it: the layer, else the host
 */
const char *
saban_map_service_get_title (SabanMapService *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_SERVICE (self), NULL);
  return self->layer != NULL && *self->layer != '\0' ? self->layer : self->url;
}

/* @base with a query to add to: "…?" or "…&" as it needs */
static GString *
query_base (const char *base)
{
  GString *s = g_string_new (base);
  char last = s->len > 0 ? s->str[s->len - 1] : '\0';

  if (strchr (base, '?') == NULL)
    g_string_append_c (s, '?');
  else if (last != '?' && last != '&')
    g_string_append_c (s, '&');
  return s;
}

static void
replace (GString    *s,
         const char *key,
         const char *value)
{
  g_string_replace (s, key, value, 0);
}

/* the WMS request's common part: version, layers, styles, box in EPSG:3857 */
static GString *
wms_request (SabanMapService *self,
             const char      *request,
             double           min_x,
             double           min_y,
             double           max_x,
             double           max_y,
             guint            size)
{
  GString *s = query_base (self->url);
  gboolean first = TRUE;
  char box[4][G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *bbox = NULL;
  g_autofree char *pixels = g_strdup_printf ("%u", size);

  add_param (s, "SERVICE", "WMS", &first);
  add_param (s, "REQUEST", request, &first);
  add_param (s, "VERSION", self->version, &first);
  add_param (s, "LAYERS", self->layer, &first);
  add_param (s, "STYLES", self->style, &first);
  add_param (s, g_str_equal (self->version, "1.3.0") ? "CRS" : "SRS", "EPSG:3857", &first);
  g_ascii_formatd (box[0], sizeof box[0], "%.3f", min_x);
  g_ascii_formatd (box[1], sizeof box[1], "%.3f", min_y);
  g_ascii_formatd (box[2], sizeof box[2], "%.3f", max_x);
  g_ascii_formatd (box[3], sizeof box[3], "%.3f", max_y);
  bbox = g_strjoin (",", box[0], box[1], box[2], box[3], NULL);
  add_param (s, "BBOX", bbox, &first);
  add_param (s, "WIDTH", pixels, &first);
  add_param (s, "HEIGHT", pixels, &first);
  add_param (s, "FORMAT", self->format, &first);
  add_param (s, "TRANSPARENT", "TRUE", &first);
  return s;
}

/**
 * saban_map_service_offered_zoom:
 *
 * Returns: the deepest zoom at most @zoom the service has tiles for: @zoom
 *   itself, but for a WMS-T matrix set that stops short of it or skips it
 *   (its tiles are then enlarged); -1 when it has none that high
 */
int
saban_map_service_offered_zoom (SabanMapService *self,
                                guint            zoom)
{
  g_return_val_if_fail (SABAN_IS_MAP_SERVICE (self), -1);

  if (self->matrices == NULL)
    return (int) zoom;
  for (int z = MIN ((int) MIN (zoom, G_MAXINT), (int) g_strv_length (self->matrices) - 1); z >= 0; z--)
    if (*self->matrices[z] != '\0')
      return z;
  return -1;
}

/**
 * saban_map_service_tile_url:
 *
 * Returns: (transfer full) (nullable): the request for tile @x, @y at
 *   @zoom of the map's 256 px Web Mercator grid (rows from the top); %NULL
 *   where a WMS-T matrix set has no matrix at @zoom
 */
char *
saban_map_service_tile_url (SabanMapService *self,
                            guint            zoom,
                            guint            x,
                            guint            y)
{
  g_autofree char *z_text = g_strdup_printf ("%u", zoom);
  g_autofree char *x_text = g_strdup_printf ("%u", x);
  g_autofree char *y_text = NULL;
  double extent = 2 * WEB_MERCATOR_HALF / (double) (1u << zoom);
  GString *s;
  gboolean first = TRUE;

  g_return_val_if_fail (SABAN_IS_MAP_SERVICE (self), NULL);

  switch (self->kind)
    {
    case SABAN_SERVICE_WMS:
      return g_string_free (wms_request (self, "GetMap", -WEB_MERCATOR_HALF + x * extent,
                                         WEB_MERCATOR_HALF - (y + 1) * extent, -WEB_MERCATOR_HALF + (x + 1) * extent,
                                         WEB_MERCATOR_HALF - y * extent, TILE_SIZE), FALSE);
    case SABAN_SERVICE_WMTS:
      if (self->matrices != NULL)
        {
          /* the set's own name for this zoom; none: no tile here */
          if (zoom >= g_strv_length (self->matrices) || *self->matrices[zoom] == '\0')
            return NULL;
          g_free (z_text);
          z_text = g_strdup (self->matrices[zoom]);
        }
      y_text = g_strdup_printf ("%u", y);
      if (strstr (self->url, "{TileMatrix}") != NULL)
        {
          /* REST: the template from the capabilities' ResourceURL */
          s = g_string_new (self->url);
          replace (s, "{TileMatrixSet}", self->matrix_set);
          replace (s, "{TileMatrix}", z_text);
          replace (s, "{TileRow}", y_text);
          replace (s, "{TileCol}", x_text);
          replace (s, "{Style}", *self->style != '\0' ? self->style : "default");
          return g_string_free (s, FALSE);
        }
      s = query_base (self->url);
      add_param (s, "SERVICE", "WMTS", &first);
      add_param (s, "REQUEST", "GetTile", &first);
      add_param (s, "VERSION", "1.0.0", &first);
      add_param (s, "LAYER", self->layer, &first);
      add_param (s, "STYLE", *self->style != '\0' ? self->style : "default", &first);
      add_param (s, "FORMAT", self->format, &first);
      add_param (s, "TILEMATRIXSET", self->matrix_set, &first);
      add_param (s, "TILEMATRIX", z_text, &first);
      add_param (s, "TILEROW", y_text, &first);
      add_param (s, "TILECOL", x_text, &first);
      return g_string_free (s, FALSE);
    case SABAN_SERVICE_TMS:
    case SABAN_SERVICE_XYZ:
    default:
      y_text = g_strdup_printf ("%u", self->kind == SABAN_SERVICE_TMS ? (1u << zoom) - 1 - y : y);
      s = g_string_new (self->url);
      replace (s, "{z}", z_text);
      replace (s, "{x}", x_text);
      replace (s, "{y}", y_text);
      return g_string_free (s, FALSE);
    }
}

/**
 * saban_map_service_feature_info_url:
 * @x: the point, Web Mercator metres
 * @y: likewise
 * @pixel: metres a screen pixel at the map's scale
 *
 * Returns: (transfer full) (nullable): a WMS GetFeatureInfo (plain text)
 *   for the point; %NULL for services that have none
 */
char *
saban_map_service_feature_info_url (SabanMapService *self,
                                    double           x,
                                    double           y,
                                    double           pixel)
{
  double half = INFO_SIZE / 2.0 * pixel;
  GString *s;
  gboolean first = FALSE;
  g_autofree char *centre = g_strdup_printf ("%d", INFO_SIZE / 2);
  gboolean v13;

  g_return_val_if_fail (SABAN_IS_MAP_SERVICE (self), NULL);

  if (self->kind != SABAN_SERVICE_WMS)
    return NULL;
  v13 = g_str_equal (self->version, "1.3.0");
  s = wms_request (self, "GetFeatureInfo", x - half, y - half, x + half, y + half, INFO_SIZE);
  add_param (s, "QUERY_LAYERS", self->layer, &first);
  add_param (s, "INFO_FORMAT", "text/plain", &first);
  add_param (s, "FEATURE_COUNT", "10", &first);
  add_param (s, v13 ? "I" : "X", centre, &first);
  add_param (s, v13 ? "J" : "Y", centre, &first);
  return g_string_free (s, FALSE);
}

/**
 * saban_map_service_capabilities_url:
 *
 * Returns: (transfer full) (nullable): where the WMS or WMS-T server
 *   describes its layers; %NULL for XYZ and TMS (and a REST template,
 *   whose capabilities address the user gives)
 */
char *
saban_map_service_capabilities_url (SabanMapService *self)
{
  GString *s;
  gboolean first = TRUE;

  g_return_val_if_fail (SABAN_IS_MAP_SERVICE (self), NULL);

  if ((self->kind != SABAN_SERVICE_WMS && self->kind != SABAN_SERVICE_WMTS) || strchr (self->url, '{') != NULL)
    return NULL;
  s = query_base (self->url);
  add_param (s, "SERVICE", self->kind == SABAN_SERVICE_WMS ? "WMS" : "WMTS", &first);
  add_param (s, "REQUEST", "GetCapabilities", &first);
  add_param (s, "VERSION", self->kind == SABAN_SERVICE_WMS ? self->version : "1.0.0", &first);
  return g_string_free (s, FALSE);
}
