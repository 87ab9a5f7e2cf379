/* saban-workspace.c: the arrangement a user left: which layers from which
 * sources, shown or hidden, how opaque, in what order, and the view. Saved
 * as JSON so it can be read, diffed and handed to a colleague.
 *
 *   { "version": 1,
 *     "view": { "latitude": 22.1, "longitude": 104.2, "zoom": 9.0 },
 *     "layers": [ { "source": "…/lao-cai-demo.gpkg", "layer": "communes",
 *                   "visible": true, "opacity": 1.0, "crs": "EPSG:9208",
 *                   "style": { "kind": "graduated", "field": "population",
 *                              "method": "natural-breaks", "classes": 5,
 *                              "fill": "#f6e6ab", "rampEnd": "#a51d2d",
 *                              "label": "name" } },
 *                 { "source": "…/ortho.tif", "layer": "ortho.tif", "visible": true,
 *                   "opacity": 0.8, "crs": "EPSG:9208", "raster": "image" }, … ] }
 *                                                                bottom to top
 */
#include "saban-workspace.h"
#include "saban-json.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "saban-error.h"

struct _SabanWorkspace
{
  GObject parent_instance;

  GArray *layers;   /* SabanWorkspaceLayer */
  gboolean has_view;
  double latitude, longitude, zoom;
};

G_DEFINE_FINAL_TYPE (SabanWorkspace, saban_workspace, G_TYPE_OBJECT)

/**
 * saban_workspace_style_clear:
 *
 * Frees the strings of @style and empties it.
 */
void
saban_workspace_style_clear (SabanWorkspaceStyle *style)
{
  g_clear_pointer (&style->kind, g_free);
  g_clear_pointer (&style->field, g_free);
  g_clear_pointer (&style->method, g_free);
  g_clear_pointer (&style->fill, g_free);
  g_clear_pointer (&style->ramp_end, g_free);
  g_clear_pointer (&style->label_field, g_free);
}

static void
layer_clear (gpointer data)
{
  SabanWorkspaceLayer *layer = data;

  g_free (layer->source);
  g_free (layer->layer);
  g_free (layer->title);
  g_free (layer->crs);
  g_free (layer->raster);
  g_free (layer->landuse_field);
  saban_workspace_style_clear (&layer->style);
}

static void
saban_workspace_finalize (GObject *object)
{
  g_array_unref (SABAN_WORKSPACE (object)->layers);
  G_OBJECT_CLASS (saban_workspace_parent_class)->finalize (object);
}

static void
saban_workspace_class_init (SabanWorkspaceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_workspace_finalize;
}

static void
saban_workspace_init (SabanWorkspace *self)
{
  self->layers = g_array_new (FALSE, TRUE, sizeof (SabanWorkspaceLayer));
  g_array_set_clear_func (self->layers, layer_clear);
}

SabanWorkspace *
saban_workspace_new (void)
{
  return g_object_new (SABAN_TYPE_WORKSPACE, NULL);
}

/**
 * saban_workspace_add_layer:
 *
 * Appends a layer above those already added.
 */
void
saban_workspace_add_layer (SabanWorkspace *self,
                           const char     *source,
                           const char     *layer,
                           gboolean        visible,
                           double          opacity)
{
  SabanWorkspaceLayer entry = { g_strdup (source), g_strdup (layer), visible, CLAMP (opacity, 0, 1), NULL, NULL, NULL, { 0 }, NULL };

  g_array_append_val (self->layers, entry);
}

/**
 * saban_workspace_set_last_title:
 *
 * Gives the layer added last the name the user gave it.
 */
void
saban_workspace_set_last_title (SabanWorkspace *self,
                                const char     *title)
{
  SabanWorkspaceLayer *last;

  g_return_if_fail (self->layers->len > 0);

  last = &g_array_index (self->layers, SabanWorkspaceLayer, self->layers->len - 1);
  g_free (last->title);
  last->title = g_strdup (title);
}

/**
 * saban_workspace_set_last_crs:
 *
 * Records the CRS the layer added last was read in, so that a source
 * without one (a Shapefile without .prj, a CSV) is not asked about again.
 */
void
saban_workspace_set_last_crs (SabanWorkspace *self,
                              const char     *crs)
{
  SabanWorkspaceLayer *last;

  g_return_if_fail (self->layers->len > 0);

  last = &g_array_index (self->layers, SabanWorkspaceLayer, self->layers->len - 1);
  g_free (last->crs);
  last->crs = g_strdup (crs);
}

/**
 * saban_workspace_set_last_raster:
 * @render: how the raster is drawn ("image", "hillshade", "hypsometric")
 *
 * Marks the layer added last as a raster, to be opened again as one.
 */
void
saban_workspace_set_last_raster (SabanWorkspace *self,
                                 const char     *render)
{
  SabanWorkspaceLayer *last;

  g_return_if_fail (self->layers->len > 0);

  last = &g_array_index (self->layers, SabanWorkspaceLayer, self->layers->len - 1);
  g_free (last->raster);
  last->raster = g_strdup (render);
}

/**
 * saban_workspace_set_last_landuse_field:
 *
 * Records which field of the layer added last holds its land-use codes,
 * when the user chose it (no field's values were mostly codes), so that
 * nobody is asked again.
 */
void
saban_workspace_set_last_landuse_field (SabanWorkspace *self,
                                        const char     *field)
{
  SabanWorkspaceLayer *last;

  g_return_if_fail (self->layers->len > 0);

  last = &g_array_index (self->layers, SabanWorkspaceLayer, self->layers->len - 1);
  g_free (last->landuse_field);
  last->landuse_field = g_strdup (field);
}

/**
 * saban_workspace_get_source_crs:
 *
 * Returns: (nullable): the CRS a layer of @source was read in
 */
const char *
saban_workspace_get_source_crs (SabanWorkspace *self,
                                const char     *source)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      const SabanWorkspaceLayer *entry = &g_array_index (self->layers, SabanWorkspaceLayer, i);
      if (g_str_equal (entry->source, source) && entry->crs != NULL)
        return entry->crs;
    }
  return NULL;
}

/**
 * saban_workspace_set_last_style:
 *
 * Gives the layer added last the style the user chose for it.
 */
void
saban_workspace_set_last_style (SabanWorkspace            *self,
                                const SabanWorkspaceStyle *style)
{
  SabanWorkspaceStyle *to;

  g_return_if_fail (self->layers->len > 0);

  to = &g_array_index (self->layers, SabanWorkspaceLayer, self->layers->len - 1).style;
  saban_workspace_style_clear (to);
  to->kind = g_strdup (style->kind);
  to->field = g_strdup (style->field);
  to->method = g_strdup (style->method);
  to->n_classes = style->n_classes;
  to->fill = g_strdup (style->fill);
  to->ramp_end = g_strdup (style->ramp_end);
  to->label_field = g_strdup (style->label_field);
}

guint
saban_workspace_get_n_layers (SabanWorkspace *self)
{
  return self->layers->len;
}

const SabanWorkspaceLayer *
saban_workspace_get_layer (SabanWorkspace *self,
                           guint           index)
{
  g_return_val_if_fail (index < self->layers->len, NULL);
  return &g_array_index (self->layers, SabanWorkspaceLayer, index);
}

/**
 * saban_workspace_find_layer:
 *
 * Returns: (nullable): the entry for @layer of @source
 */
const SabanWorkspaceLayer *
saban_workspace_find_layer (SabanWorkspace *self,
                            const char     *source,
                            const char     *layer)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      const SabanWorkspaceLayer *entry = &g_array_index (self->layers, SabanWorkspaceLayer, i);
      if (g_str_equal (entry->source, source) && g_str_equal (entry->layer, layer))
        return entry;
    }
  return NULL;
}

gboolean
saban_workspace_has_source (SabanWorkspace *self,
                            const char     *source)
{
  for (guint i = 0; i < self->layers->len; i++)
    if (g_str_equal (g_array_index (self->layers, SabanWorkspaceLayer, i).source, source))
      return TRUE;
  return FALSE;
}

/**
 * saban_workspace_dup_sources:
 *
 * Returns: (transfer full): each source once, in the order first seen
 */
char **
saban_workspace_dup_sources (SabanWorkspace *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->layers->len; i++)
    {
      const char *source = g_array_index (self->layers, SabanWorkspaceLayer, i).source;
      if (g_hash_table_add (seen, (gpointer) source))
        g_strv_builder_add (builder, source);
    }
  return g_strv_builder_end (builder);
}

void
saban_workspace_set_view (SabanWorkspace *self,
                          double          latitude,
                          double          longitude,
                          double          zoom)
{
  self->has_view = TRUE;
  self->latitude = latitude;
  self->longitude = longitude;
  self->zoom = zoom;
}

/**
 * saban_workspace_get_view:
 *
 * Returns: %FALSE if the workspace has no saved view
 */
gboolean
saban_workspace_get_view (SabanWorkspace *self,
                          double         *latitude,
                          double         *longitude,
                          double         *zoom)
{
  *latitude = self->latitude;
  *longitude = self->longitude;
  *zoom = self->zoom;
  return self->has_view;
}

/**
 * saban_workspace_save:
 *
 * Writes atomically: a crash mid-save leaves the previous file whole.
 */
gboolean
saban_workspace_save (SabanWorkspace  *self,
                      GFile           *file,
                      GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (file);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  if (self->has_view)
    {
      json_builder_set_member_name (builder, "view");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "latitude");
      json_builder_add_double_value (builder, self->latitude);
      json_builder_set_member_name (builder, "longitude");
      json_builder_add_double_value (builder, self->longitude);
      json_builder_set_member_name (builder, "zoom");
      json_builder_add_double_value (builder, self->zoom);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "layers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->layers->len; i++)
    {
      const SabanWorkspaceLayer *entry = &g_array_index (self->layers, SabanWorkspaceLayer, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, entry->source);
      json_builder_set_member_name (builder, "layer");
      json_builder_add_string_value (builder, entry->layer);
      json_builder_set_member_name (builder, "visible");
      json_builder_add_boolean_value (builder, entry->visible);
      json_builder_set_member_name (builder, "opacity");
      json_builder_add_double_value (builder, entry->opacity);
      if (entry->title != NULL)
        {
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, entry->title);
        }
      if (entry->crs != NULL)
        {
          json_builder_set_member_name (builder, "crs");
          json_builder_add_string_value (builder, entry->crs);
        }
      if (entry->raster != NULL)
        {
          json_builder_set_member_name (builder, "raster");
          json_builder_add_string_value (builder, entry->raster);
        }
      if (entry->landuse_field != NULL)
        {
          json_builder_set_member_name (builder, "landuseField");
          json_builder_add_string_value (builder, entry->landuse_field);
        }
      if (entry->style.kind != NULL)
        {
          const struct { const char *key, *value; } strings[] = {
            { "kind", entry->style.kind }, { "field", entry->style.field }, { "method", entry->style.method },
            { "fill", entry->style.fill }, { "rampEnd", entry->style.ramp_end }, { "label", entry->style.label_field },
          };

          json_builder_set_member_name (builder, "style");
          json_builder_begin_object (builder);
          for (gsize k = 0; k < G_N_ELEMENTS (strings); k++)
            if (strings[k].value != NULL)
              {
                json_builder_set_member_name (builder, strings[k].key);
                json_builder_add_string_value (builder, strings[k].value);
              }
          json_builder_set_member_name (builder, "classes");
          json_builder_add_int_value (builder, entry->style.n_classes);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  if (parent != NULL && !g_file_make_directory_with_parents (parent, NULL, error))
    {
      if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        return FALSE;
      g_clear_error (error);
    }
  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_NONE,
                                  NULL, NULL, error);
}

/**
 * saban_workspace_load:
 *
 * Returns: (transfer full) (nullable): the workspace, or %NULL with a message
 *   for users if the file cannot be read or is not a workspace
 */
SabanWorkspace *
saban_workspace_load (GFile   *file,
                      GError **error)
{
  g_autoptr(SabanWorkspace) self = saban_workspace_new ();
  g_autoptr(JsonNode) parsed = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = g_file_get_parse_name (file);
  gsize length;
  JsonNode *root;
  JsonObject *object;
  JsonArray *layers;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_load_contents (file, NULL, &text, &length, NULL, error))
    return NULL;
  if ((parsed = saban_json_parse (text, length, &local_error)) == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("“%s” is not a workspace: %s"), path,
                   local_error->message);
      return NULL;
    }
  root = parsed;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      json_object_get_int_member_with_default (object = json_node_get_object (root), "version", 0) != 1 ||
      !json_object_has_member (object, "layers") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "layers")))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("“%s” is not a workspace of this version"), path);
      return NULL;
    }

  if (json_object_has_member (object, "view") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "view")))
    {
      JsonObject *view = json_object_get_object_member (object, "view");
      saban_workspace_set_view (self,
                                json_object_get_double_member_with_default (view, "latitude", 0),
                                json_object_get_double_member_with_default (view, "longitude", 0),
                                json_object_get_double_member_with_default (view, "zoom", 0));
    }

  layers = json_object_get_array_member (object, "layers");
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonNode *node = json_array_get_element (layers, i);
      JsonObject *entry;
      const char *source, *layer;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      source = json_object_get_string_member_with_default (entry, "source", NULL);
      layer = json_object_get_string_member_with_default (entry, "layer", NULL);
      /* An entry missing what identifies it is skipped, not fatal. */
      if (source == NULL || layer == NULL)
        continue;
      saban_workspace_add_layer (self, source, layer,
                                 json_object_get_boolean_member_with_default (entry, "visible", TRUE),
                                 json_object_get_double_member_with_default (entry, "opacity", 1));
      if (json_object_get_string_member_with_default (entry, "title", NULL) != NULL)
        saban_workspace_set_last_title (self, json_object_get_string_member (entry, "title"));
      if (json_object_get_string_member_with_default (entry, "crs", NULL) != NULL)
        saban_workspace_set_last_crs (self, json_object_get_string_member (entry, "crs"));
      if (json_object_get_string_member_with_default (entry, "raster", NULL) != NULL)
        saban_workspace_set_last_raster (self, json_object_get_string_member (entry, "raster"));
      if (json_object_get_string_member_with_default (entry, "landuseField", NULL) != NULL)
        saban_workspace_set_last_landuse_field (self, json_object_get_string_member (entry, "landuseField"));
      if (json_object_has_member (entry, "style") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (entry, "style")))
        {
          JsonObject *style = json_object_get_object_member (entry, "style");
          SabanWorkspaceStyle read = {
            (char *) json_object_get_string_member_with_default (style, "kind", NULL),
            (char *) json_object_get_string_member_with_default (style, "field", NULL),
            (char *) json_object_get_string_member_with_default (style, "method", NULL),
            (guint) CLAMP (json_object_get_int_member_with_default (style, "classes", 5), 1, 32),
            (char *) json_object_get_string_member_with_default (style, "fill", NULL),
            (char *) json_object_get_string_member_with_default (style, "rampEnd", NULL),
            (char *) json_object_get_string_member_with_default (style, "label", NULL),
          };

          if (read.kind != NULL)
            saban_workspace_set_last_style (self, &read);
        }
    }
  return g_steal_pointer (&self);
}
