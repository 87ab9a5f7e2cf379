/* saban-window-layers.c: the main window's layers — opening sources and
 * the layer list.
 *
 * Files and servers are read by core in worker threads (a source of
 * several layers asks which; a source without a CRS asks which); a file
 * with no vector layers is tried as a raster (a GeoPackage of both opens
 * its vector layers). The window only receives the finished layers, gives each its
 * style and puts it in the session's layer model, which the list (one row, a view, per
 * layer), the map and the workspace file follow. What a row asks (zoom,
 * table, style, rename, reload, remove) is done here.
 *
 * Over a thousand lines: every way a layer arrives (file, raster, server,
 * map service, workspace, command line) ends in the same model insertion
 * and the same error wording; the row's requests share its lookups.
 */
#include "saban-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "saban-attribute-table-window.h"
#include "saban-crs-catalog.h"
#include "saban-error.h"
#include "saban-export-dialog.h"
#include "saban-layer-row.h"
#include "saban-gis-enums.h"
#include "saban-ogr-reader.h"
#include "saban-raster-layer.h"
#include "saban-style-dialog.h"
#include "saban-tile-cache.h"

typedef struct
{
  SabanWindow *self;        /* valid while life is not cancelled */
  GCancellable *life;
  char *source;
  char **only;
  gboolean fit;         /* given on the command line: the view fits it */
  gboolean then_vectors;  /* not a raster either: read it as vectors (a CSV the lister finds no layer in) */
  char *vector_error;     /* not a raster either: say why it was no vector source */
} OpenData;

static void
open_data_free (gpointer data)
{
  OpenData *open = data;

  g_clear_object (&open->life);
  g_free (open->source);
  g_free (open->vector_error);
  g_strfreev (open->only);
  g_free (open);
}

static void open_source_in (SabanWindow *self, const char *source, const char * const *only, const char *crs,
                            gboolean fit);
static void open_raster_in (SabanWindow *self, const char *source, const char *crs, gboolean fit);

static OpenData *
open_data_new (SabanWindow *self,
               const char  *source,
               gboolean     fit)
{
  OpenData *open = g_new0 (OpenData, 1);

  open->self = self;
  open->life = g_object_ref (self->cancellable);
  open->source = g_strdup (source);
  open->fit = fit;
  return open;
}

static void
update_progress_visible (SabanWindow *self)
{
  gtk_widget_set_visible (self->progress_box, self->loading > 0 || self->building > 0);
}

static void
on_progress (double      fraction,
             const char *layer_name,
             gpointer    user_data)
{
  SabanWindow *self = user_data;
  g_autofree char *text = g_strdup_printf (_("Loading %s…"), layer_name);

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static SabanLayerGroup
row_group (GtkListBoxRow *row)
{
  return saban_layer_get_group (saban_layer_row_get_layer (SABAN_LAYER_ROW (row)));
}

/* the model's order is by group: a header where the group changes */
static void
group_headers (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  GtkWidget *header;

  if (before != NULL && row_group (before) == row_group (row))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (saban_layer_group_get_title (row_group (row)));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "dim-label");
  gtk_widget_add_css_class (header, "caption-heading");
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, before != NULL ? 10 : 2);
  gtk_widget_set_margin_bottom (header, 2);
  gtk_list_box_row_set_header (row, header);
}

/* @dragged goes just above @target, within @target's group */
static void
on_row_dropped (SabanLayerRow *target,
                SabanLayerRow *dragged,
                SabanWindow   *self)
{
  saban_layer_model_move_above (self->layers, saban_layer_row_get_layer (dragged), saban_layer_row_get_layer (target));
}

static void
on_table_feature_activated (SabanWindow      *self,
                            SabanVectorLayer *layer,
                            gint64            feature)
{
  saban_window_show_feature (self, layer, feature);
}

typedef struct
{
  SabanLayerStyle *base;
  SabanVectorLayer *layer;
  SabanStyleChoice choice;
} Restyle;

static void
restyle_free (gpointer data)
{
  Restyle *r = data;

  g_object_unref (r->base);
  g_object_unref (r->layer);
  saban_style_choice_clear (&r->choice);
  g_free (r);
}

/* Categories and classes come from scanning every value: off the main thread. */
static void
restyle_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Restyle *r = task_data;

  g_task_return_pointer (task, saban_layer_style_new_from_choice (r->base, r->layer, &r->choice), g_object_unref);
}

static void
restyle_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SabanLayerStyle) style = g_task_propagate_pointer (G_TASK (result), NULL);
  Restyle *r = g_task_get_task_data (G_TASK (result));
  SabanWindow *self;
  SabanLayer *layer;

  if (style == NULL)
    return;
  self = SABAN_WINDOW (user_data);
  self->restyling--;
  layer = saban_layer_model_find (self->layers, r->layer);
  /* the map, the row and the legend follow the layer */
  if (layer != NULL)
    saban_layer_set_style (layer, style);
}

/* Makes @layer's style from @choice (taken) in a worker, from the dialog
 * and when a workspace is restored alike. */
static void
restyle (SabanWindow      *self,
         SabanVectorLayer *layer,
         SabanLayerStyle  *base,
         SabanStyleChoice *choice)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, restyle_done, self);
  Restyle *r = g_new0 (Restyle, 1);

  r->base = g_object_ref (base);
  r->layer = g_object_ref (layer);
  r->choice = *choice;
  *choice = (SabanStyleChoice) { 0 };
  self->restyling++;
  g_task_set_task_data (task, r, restyle_free);
  g_task_run_in_thread (task, restyle_thread);
}

static void
on_style_applied (SabanStyleDialog *dialog,
                  SabanWindow      *self)
{
  SabanVectorLayer *vector = g_object_get_data (G_OBJECT (dialog), "layer");
  SabanLayer *layer = saban_layer_model_find (self->layers, vector);
  g_auto(SabanStyleChoice) choice = { 0 };

  if (layer == NULL)
    return;
  saban_style_dialog_get_choice (dialog, &choice);
  restyle (self, vector, saban_layer_get_style (layer), &choice);
}

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    SabanLayer       *layer)
{
  if (g_str_equal (response, "rename"))
    saban_layer_set_custom_title (layer, gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog))));
}

static void
rename_layer (SabanWindow *self,
              SabanLayer  *layer)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Rename Layer"), NULL));
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), saban_layer_get_title (layer));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "layer", g_object_ref (layer), g_object_unref);
  saban_window_ask (dialog, entry, "rename", _("_Rename"), G_CALLBACK (on_rename_response), layer);
}

static void
remove_layer (SabanWindow *self,
              SabanLayer  *layer)
{
  gtk_revealer_set_reveal_child (self->inspector_revealer, FALSE);
  saban_layer_model_remove (self->layers, layer);
}

static void
on_undo_remove (AdwToast *toast, SabanWindow *self)
{
  SabanLayer *layer = g_object_get_data (G_OBJECT (toast), "layer");

  GListModel *model = G_LIST_MODEL (self->layers);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SabanLayer) shown = g_list_model_get_item (model, i);

      if (shown == layer)
        return;
    }
  /* its group and order are its own: it goes back where it was */
  saban_layer_model_add (self->layers, layer);
}

/**
 * saban_window_remove_layer:
 * @layer: a layer of the window's model
 *
 * What the layer's "Remove" does: the layer goes at once, and a toast says
 * which one, with Undo for ten seconds (no question asked: nothing is lost
 * until the toast goes).
 */
void
saban_window_remove_layer (SabanWindow *self,
                           SabanLayer  *layer)
{
  g_autofree char *text = g_strdup_printf (_("Layer “%s” removed from the map"), saban_layer_get_title (layer));
  AdwToast *toast = adw_toast_new (text);

  g_object_set_data_full (G_OBJECT (toast), "layer", g_object_ref (layer), g_object_unref);
  remove_layer (self, layer);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, 10);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_remove), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Reads @source again and puts its layers back as they are now: shown or
 * hidden, opacity, name, style, the CRS assumed for it, and the view unchanged. */
static void
refresh_source (SabanWindow *self,
                const char  *source)
{
  g_autoptr(SabanWorkspace) now = NULL;
  g_autoptr(SabanWorkspace) part = saban_workspace_new ();
  g_autofree char *kept = g_strdup (source);
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->restoring != NULL)
    return;
  now = saban_layer_model_dup_workspace (self->layers);
  for (guint i = 0; i < saban_workspace_get_n_layers (now); i++)
    {
      const SabanWorkspaceLayer *entry = saban_workspace_get_layer (now, i);

      if (!g_str_equal (entry->source, kept))
        continue;
      saban_workspace_add_layer (part, entry->source, entry->layer, entry->visible, entry->opacity);
      if (entry->title != NULL)
        saban_workspace_set_last_title (part, entry->title);
      saban_workspace_set_last_crs (part, entry->crs);
      saban_workspace_set_last_landuse_field (part, entry->landuse_field);
      if (entry->style.kind != NULL)
        saban_workspace_set_last_style (part, &entry->style);
      if (entry->raster != NULL)
        saban_workspace_set_last_raster (part, entry->raster);
    }
  /* collected first: each removal changes the model */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->layers)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->layers), i);

      if (g_str_equal (saban_layer_get_source (layer), kept))
        g_ptr_array_add (stale, g_steal_pointer (&layer));
    }
  for (guint i = 0; i < stale->len; i++)
    remove_layer (self, g_ptr_array_index (stale, i));
  self->keep_view = TRUE;
  saban_window_restore_workspace (self, part);
}

static gboolean
refresh_remote (gpointer user_data)
{
  SabanWindow *self = user_data;
  g_autoptr(GPtrArray) layers = saban_layer_model_dup_vectors (self->layers);
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < layers->len; i++)
    {
      SabanVectorLayer *layer = g_ptr_array_index (layers, i);

      if (saban_vector_layer_is_remote (layer) &&
          g_hash_table_add (done, g_strdup (saban_vector_layer_get_source (layer))))
        refresh_source (self, saban_vector_layer_get_source (layer));
    }
  return G_SOURCE_CONTINUE;
}

void
saban_window_update_refresh_timer (SabanWindow *self)
{
  guint minutes = g_settings_get_uint (self->settings, "refresh-minutes");

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (minutes > 0)
    self->refresh_id = g_timeout_add_seconds (minutes * 60, refresh_remote, self);
}

static void
on_row_action (SabanLayerRow *row,
               const char    *action,
               SabanWindow   *self)
{
  SabanLayer *item = saban_layer_row_get_layer (row);
  SabanVectorLayer *layer = saban_layer_get_vector (item);

  if (g_str_equal (action, "zoom"))
    {
      double e[4];
      if (saban_layer_get_extent (item, &e[0], &e[1], &e[2], &e[3]))
        saban_map_view_zoom_to_extent (self->map_view, e[0], e[1], e[2], e[3]);
    }
  else if (g_str_has_prefix (action, "render-"))
    {
      g_autoptr(GEnumClass) renders = g_type_class_ref (SABAN_TYPE_RASTER_RENDER);
      GEnumValue *value = g_enum_get_value_by_nick (renders, action + strlen ("render-"));

      if (value != NULL)
        saban_layer_set_raster_render (item, value->value);
    }
  else if (g_str_equal (action, "overviews"))
    saban_window_build_overviews (self, item);
  else if (g_str_equal (action, "attributes"))
    {
      GtkWidget *table = saban_attribute_table_window_new (GTK_WINDOW (self), layer, saban_layer_get_style (item));

      g_signal_connect_object (table, "feature-activated", G_CALLBACK (on_table_feature_activated),
                               self, G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (table));
    }
  else if (g_str_equal (action, "style"))
    {
      GtkWidget *dialog = saban_style_dialog_new (GTK_WINDOW (self), layer, saban_layer_get_style (item));

      g_object_set_data_full (G_OBJECT (dialog), "layer", g_object_ref (layer), g_object_unref);
      g_signal_connect_object (dialog, "applied", G_CALLBACK (on_style_applied), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else if (g_str_equal (action, "rename"))
    rename_layer (self, item);
  else if (g_str_equal (action, "refresh"))
    refresh_source (self, saban_layer_get_source (item));
  else if (g_str_equal (action, "export"))
    gtk_window_present (GTK_WINDOW (saban_export_dialog_new (GTK_WINDOW (self), layer, saban_layer_get_title (item), NULL)));
  else if (g_str_equal (action, "remove"))
    saban_window_remove_layer (self, item);
}

static void
on_overview_progress (double      fraction,
                      const char *name,
                      gpointer    user_data)
{
  SabanWindow *self = user_data;
  g_autofree char *text = g_strdup_printf (_("Building overviews of %s…"), name);

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
overviews_built (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OpenData *open = user_data;
  SabanWindow *self = open->self;
  g_autoptr(GError) error = NULL;
  gboolean ok = saban_raster_layer_build_overviews_finish (SABAN_RASTER_LAYER (object), result, &error);

  if (!g_cancellable_is_cancelled (open->life))
    {
      self->building--;
      update_progress_visible (self);
      saban_window_toast (self, ok ? _("Overviews built: the raster now draws quickly at every scale") : error->message);
    }
  open_data_free (open);
}

/**
 * saban_window_build_overviews:
 *
 * Builds the raster's overviews in the background, with progress.
 */
void
saban_window_build_overviews (SabanWindow *self,
                              SabanLayer  *layer)
{
  SabanRasterLayer *raster = saban_layer_get_raster (layer);

  if (raster == NULL || !saban_raster_layer_needs_overviews (raster))
    return;
  self->building++;
  update_progress_visible (self);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  saban_raster_layer_build_overviews_async (raster, self->load_cancellable, on_overview_progress, self,
                                            overviews_built,
                                            open_data_new (self, saban_raster_layer_get_source (raster), FALSE));
}

static void
on_overviews_response (AdwMessageDialog *dialog,
                       const char       *response,
                       SabanWindow      *self)
{
  if (g_str_equal (response, "build"))
    saban_window_build_overviews (self, g_object_get_data (G_OBJECT (dialog), "layer"));
}

/**
 * saban_window_offer_overviews:
 *
 * The raster is large and has no overviews: asks whether to build them.
 */
void
saban_window_offer_overviews (SabanWindow *self,
                              SabanLayer  *layer)
{
  AdwMessageDialog *dialog;

  if (layer == NULL)
    return;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Build Overviews?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("“%s” is large and has no overviews, so it draws slowly when zoomed out. "
                                    "Overviews are reduced copies kept in a file beside it; building them "
                                    "takes a while and runs in the background."),
                                  saban_layer_get_title (layer));
  g_object_set_data_full (G_OBJECT (dialog), "layer", g_object_ref (layer), g_object_unref);
  saban_window_ask (dialog, NULL, "build", _("_Build"), G_CALLBACK (on_overviews_response), self);
}

/* a row for each layer of the model: a view of it */
static GtkWidget *
create_layer_row (gpointer item,
                  gpointer user_data)
{
  SabanWindow *self = user_data;
  GtkWidget *row = saban_layer_row_new (item);

  saban_layer_row_set_zoom (SABAN_LAYER_ROW (row), shumate_viewport_get_zoom_level (saban_map_view_get_viewport (self->map_view)));
  g_signal_connect_object (row, "action", G_CALLBACK (on_row_action), self, 0);
  g_signal_connect_object (row, "dropped", G_CALLBACK (on_row_dropped), self, 0);
  return row;
}

static void
grow (double       *into,
      gboolean      empty,
      const double *extent)
{
  if (empty)
    {
      memcpy (into, extent, 4 * sizeof (double));
      return;
    }
  into[0] = MIN (into[0], extent[0]);
  into[1] = MIN (into[1], extent[1]);
  into[2] = MAX (into[2], extent[2]);
  into[3] = MAX (into[3], extent[3]);
}

/* What the workspace being restored says of @source's layer @name: NULL
 * when it does not know the source; *removed when the user had removed it. */
static const SabanWorkspaceLayer *
saved_entry (SabanWindow *self,
             const char  *source,
             const char  *name,
             gboolean    *removed)
{
  const SabanWorkspaceLayer *saved = NULL;

  *removed = FALSE;
  if (self->restoring != NULL && saban_workspace_has_source (self->restoring, source))
    {
      saved = saban_workspace_find_layer (self->restoring, source, name);
      *removed = saved == NULL;
    }
  return saved;
}

/* @layer into the model, as @saved had it; home and the command line's
 * fit grow by its extent. */
static void
put_layer (SabanWindow               *self,
           SabanLayer                *layer,
           const SabanWorkspaceLayer *saved,
           gboolean                   fit)
{
  double extent[4];

  if (saved != NULL)
    {
      saban_layer_set_custom_title (layer, saved->title);
      saban_layer_set_visible (layer, saved->visible);
      saban_layer_set_opacity (layer, saved->opacity);
      saban_layer_set_landuse_field (layer, saved->landuse_field);
    }
  saban_layer_model_add (self->layers, layer);

  if (!saban_layer_get_extent (layer, &extent[0], &extent[1], &extent[2], &extent[3]))
    return;
  if (fit)
    {
      grow (self->fit_extent, !self->fit_pending, extent);
      self->fit_pending = TRUE;
    }
  /* Home is the province when one is loaded, else everything loaded. */
  if (g_str_equal (saban_layer_get_name (layer), "province"))
    {
      memcpy (self->home_extent, extent, sizeof extent);
      self->home_from_province = TRUE;
    }
  else if (!self->home_from_province)
    grow (self->home_extent, !self->has_extent, extent);
  self->has_extent = TRUE;
}

static void
add_layer (SabanWindow      *self,
           SabanVectorLayer *vector,
           gboolean          fit)
{
  g_autoptr(SabanLayerStyle) style = NULL;
  g_autoptr(SabanLayer) layer = NULL;
  gboolean removed;
  const SabanWorkspaceLayer *saved = saved_entry (self, saban_vector_layer_get_source (vector),
                                                  saban_vector_layer_get_name (vector), &removed);

  if (removed)
    return;
  style = saban_layer_style_new_for_layer (vector);
  layer = saban_layer_new (vector, style);
  put_layer (self, layer, saved, fit);
  if (saved != NULL && saved->style.kind != NULL)
    {
      g_auto(SabanStyleChoice) choice = { 0 };

      saban_style_choice_from_workspace (&saved->style, &choice);
      restyle (self, vector, style, &choice);
    }
}

static void
add_raster (SabanWindow      *self,
            SabanRasterLayer *raster,
            gboolean          fit)
{
  g_autoptr(SabanLayer) layer = NULL;
  gboolean removed;
  const SabanWorkspaceLayer *saved = saved_entry (self, saban_raster_layer_get_source (raster),
                                                  saban_raster_layer_get_name (raster), &removed);

  if (removed)
    return;
  layer = saban_layer_new_raster (raster);
  if (saved != NULL && saved->raster != NULL)
    {
      g_autoptr(GEnumClass) renders = g_type_class_ref (SABAN_TYPE_RASTER_RENDER);
      GEnumValue *value = g_enum_get_value_by_nick (renders, saved->raster);

      if (value != NULL)
        saban_layer_set_raster_render (layer, value->value);
    }
  put_layer (self, layer, saved, fit);
}

void
saban_window_zoom_home (SabanWindow *self)
{
  if (self->has_extent)
    saban_map_view_zoom_to_extent (self->map_view, self->home_extent[0], self->home_extent[1],
                                   self->home_extent[2], self->home_extent[3]);
}

static void
on_crs_response (AdwMessageDialog *dialog,
                 const char       *response,
                 SabanWindow      *self)
{
  GtkDropDown *choice = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  const char *source = g_object_get_data (G_OBJECT (dialog), "source");
  guint n;
  const SabanCrsEntry *entries = saban_crs_catalog_get (&n);
  guint selected = gtk_drop_down_get_selected (choice);
  g_autofree char *crs = NULL;

  if (!g_str_equal (response, "open") || selected >= n)
    return;
  crs = g_strdup_printf ("EPSG:%d", entries[selected].epsg);
  if (g_object_get_data (G_OBJECT (dialog), "raster") != NULL)
    open_raster_in (self, source, crs, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "fit")));
  else
    open_source_in (self, source, g_object_get_data (G_OBJECT (dialog), "only"), crs,
                    GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "fit")));
}

/* The source does not say its CRS: ask, offering the province's zone first. */
static void
ask_crs (SabanWindow        *self,
         const char         *source,
         const char * const *only,
         const char         *reason,
         gboolean            raster,
         gboolean            fit)
{
  guint n;
  const SabanCrsEntry *entries = saban_crs_catalog_get (&n);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  AdwMessageDialog *dialog;
  GtkWidget *choice;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = g_strdup_printf ("%s (EPSG:%d)", entries[i].name, entries[i].epsg);
      gtk_string_list_append (names, label);
    }
  choice = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (choice), 0);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Which Coordinate System?"), NULL));
  adw_message_dialog_format_body (dialog, "%s. %s", reason,
                                  _("Choose the coordinate system its coordinates are in; for data of the province this is usually VN-2000 / TM-3 104-45."));
  g_object_set_data_full (G_OBJECT (dialog), "source", g_strdup (source), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "only", g_strdupv ((char **) only), (GDestroyNotify) g_strfreev);
  g_object_set_data (G_OBJECT (dialog), "raster", GINT_TO_POINTER (raster));
  g_object_set_data (G_OBJECT (dialog), "fit", GINT_TO_POINTER (fit));
  saban_window_ask (dialog, choice, "open", _("_Open"), G_CALLBACK (on_crs_response), self);
}

static void loading_finished (SabanWindow *self);

/* The first step of every background open (list, read, raster) on its
 * answer: FALSE, with @open freed, when the window is gone. */
static gboolean
open_answered (OpenData *open)
{
  if (g_cancellable_is_cancelled (open->life))
    {
      open_data_free (open);
      return FALSE;
    }
  open->self->loading--;
  update_progress_visible (open->self);
  return TRUE;
}

/* ... and its last, whatever the answer was */
static void
open_finished (OpenData *open)
{
  loading_finished (open->self);
  open_data_free (open);
}

static void
read_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenData *open = user_data;
  SabanWindow *self = open->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = saban_ogr_read_finish (result, &error);
  gboolean first = FALSE;

  if (!open_answered (open))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    saban_window_toast (self, _("Loading stopped"));
  else if (g_error_matches (error, SABAN_ERROR, SABAN_ERROR_NEEDS_CRS))
    ask_crs (self, open->source, (const char * const *) open->only, error->message, FALSE, open->fit);
  else if (layers == NULL)
    {
      saban_window_toast (self, error->message);
      g_warning ("%s", error->message);
    }
  else
    {
      first = !self->has_extent;
      for (guint i = 0; i < layers->len; i++)
        add_layer (self, g_ptr_array_index (layers, i), open->fit);
      gtk_stack_set_visible_child_name (self->content_stack, "map");
      if (self->restoring == NULL && (first || !self->home_from_province))
        saban_window_zoom_home (self);
    }
  open_finished (open);
}

/* Once nothing is loading: a workspace restored takes its view; files from
 * the command line then fit the view, over it. */
static void
loading_finished (SabanWindow *self)
{
  if (self->loading == 0 && self->restoring != NULL)
    {
      double lat, lon, zoom;

      saban_layer_model_order_as (self->layers, self->restoring);
      if (saban_workspace_get_view (self->restoring, &lat, &lon, &zoom))
        saban_map_view_center_on (self->map_view, lat, lon, zoom);
      else if (!self->keep_view)
        saban_window_zoom_home (self);
      self->keep_view = FALSE;
      g_clear_object (&self->restoring);
    }
  if (self->loading == 0 && self->fit_pending)
    {
      self->fit_pending = FALSE;
      saban_map_view_zoom_to_extent (self->map_view, self->fit_extent[0], self->fit_extent[1],
                                     self->fit_extent[2], self->fit_extent[3]);
    }
  if (self->loading == 0 && !self->has_extent)
    gtk_stack_set_visible_child_name (self->content_stack, "empty");
}

/**
 * saban_window_open_source:
 * @source: a file name or a GDAL connection string (PG:, OAPIF:, WFS:)
 *
 * Reads every layer of @source in the background and adds them to the map.
 */
void
saban_window_open_source (SabanWindow *self,
                          const char  *source)
{
  g_return_if_fail (SABAN_IS_WINDOW (self));

  open_source_in (self, source, NULL, NULL, FALSE);
}

/* @only: the layers to read, %NULL for all; @crs: what to assume for layers
 * without one, %NULL to ask the user. */
static void
open_source_in (SabanWindow        *self,
                const char         *source,
                const char * const *only,
                const char         *crs,
                gboolean            fit)
{
  OpenData *open = open_data_new (self, source, fit);

  open->only = g_strdupv ((char **) only);
  self->loading++;
  update_progress_visible (self);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  saban_ogr_read_async (source, only, crs, self->load_cancellable, on_progress, self, NULL, read_done, open);
}

/**
 * saban_window_open_file:
 *
 * Reads every layer of @file in the background and adds them to the map.
 */
static void
on_pick_response (AdwMessageDialog *dialog,
                  const char       *response,
                  SabanWindow      *self)
{
  GtkWidget *box = adw_message_dialog_get_extra_child (dialog);
  g_autoptr(GStrvBuilder) chosen = g_strv_builder_new ();
  g_auto(GStrv) only = NULL;

  if (!g_str_equal (response, "open"))
    return;
  for (GtkWidget *check = gtk_widget_get_first_child (box); check != NULL; check = gtk_widget_get_next_sibling (check))
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
      g_strv_builder_add (chosen, g_object_get_data (G_OBJECT (check), "layer"));
  only = g_strv_builder_end (chosen);
  if (only[0] != NULL)
    open_source_in (self, g_object_get_data (G_OBJECT (dialog), "source"), (const char * const *) only, NULL, FALSE);
}

/* A file of several layers (a GeoPackage, most often): the user picks. */
static void
pick_layers (SabanWindow  *self,
             const char   *source,
             char        **names)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Choose Layers"), NULL));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *base = g_path_get_basename (source);

  adw_message_dialog_format_body (dialog, _("“%s” holds %u layers. Which should be added to the map?"),
                                  base, g_strv_length (names));
  for (guint i = 0; names[i] != NULL; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (names[i]);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_object_set_data_full (G_OBJECT (check), "layer", g_strdup (names[i]), g_free);
      gtk_box_append (GTK_BOX (box), check);
    }
  g_object_set_data_full (G_OBJECT (dialog), "source", g_strdup (source), g_free);
  saban_window_ask (dialog, box, "open", _("_Add"), G_CALLBACK (on_pick_response), self);
}

static void open_raster (SabanWindow *self, const char *source, const char *crs, gboolean fit,
                         gboolean then_vectors, const char *vector_error);

static void
list_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenData *open = user_data;
  SabanWindow *self = open->self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = saban_ogr_list_layers_finish (result, &error);

  if (!open_answered (open))
    return;
  if (names == NULL)
    /* no vector source: a raster, or else this error */
    open_raster (self, open->source, NULL, open->fit, FALSE, error->message);
  else if (names[0] == NULL)
    open_raster (self, open->source, NULL, open->fit, TRUE, NULL);
  else if (g_strv_length (names) > 1 && !open->fit)
    pick_layers (self, open->source, names);
  else
    open_source_in (self, open->source, NULL, NULL, open->fit);
  open_finished (open);
}

static void
list_vector_layers (SabanWindow *self,
                    const char  *source,
                    gboolean     fit)
{
  OpenData *open = open_data_new (self, source, fit);

  /* Counted as loading, so tests and the screenshot wait for the answer. */
  self->loading++;
  saban_ogr_list_layers_async (source, self->load_cancellable, list_done, open);
}

static void
raster_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  OpenData *open = user_data;
  SabanWindow *self = open->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanRasterLayer) raster = saban_raster_layer_open_finish (result, &error);

  if (!open_answered (open))
    return;
  if (g_error_matches (error, SABAN_ERROR, SABAN_ERROR_NEEDS_CRS))
    ask_crs (self, open->source, NULL, error->message, TRUE, open->fit);
  else if (raster == NULL && open->then_vectors)
    open_source_in (self, open->source, NULL, NULL, open->fit);
  else if (raster == NULL)
    {
      const char *why = open->vector_error != NULL ? open->vector_error : error->message;

      saban_window_toast (self, why);
      g_warning ("%s", why);
    }
  else
    {
      gboolean first = !self->has_extent;

      add_raster (self, raster, open->fit);
      gtk_stack_set_visible_child_name (self->content_stack, "map");
      if (self->restoring == NULL && !open->fit && first)
        saban_window_zoom_home (self);
      if (saban_raster_layer_needs_overviews (raster))
        saban_window_offer_overviews (self, saban_layer_model_find_raster (self->layers, raster));
    }
  open_finished (open);
}

/**
 * saban_window_add_service:
 * @source: a map service (saban_map_service_get_source())
 * @password: (nullable): the password of the user its address names (else
 *   the Secret Service's, if any)
 * @title: (nullable): what the layer list calls it (the layers' titles in
 *   the capabilities), else the service's layers or address
 *
 * Adds the service's layer on top of what is shown (as the workspace had
 * it, when one is being restored); a bad @source is a toast.
 */
void
saban_window_add_service (SabanWindow *self,
                          const char  *source,
                          const char  *password,
                          const char  *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanMapService) service = saban_map_service_new_from_source (source, &error);
  g_autoptr(SabanTileCache) cache = NULL;
  g_autoptr(SabanLayer) layer = NULL;
  const SabanWorkspaceLayer *saved;
  gboolean removed;

  g_return_if_fail (SABAN_IS_WINDOW (self));

  if (service == NULL)
    {
      saban_window_toast (self, error->message);
      return;
    }
  saved = saved_entry (self, source, saban_map_service_get_title (service), &removed);
  if (removed)
    return;
  cache = saban_tile_cache_new (service, NULL);
  if (password != NULL)
    saban_tile_cache_set_password (cache, password);
  layer = saban_layer_new_service (SABAN_TILE_FETCHER (cache));
  if (title != NULL && *title != '\0')
    saban_layer_set_custom_title (layer, title);
  put_layer (self, layer, saved, FALSE);
  gtk_stack_set_visible_child_name (self->content_stack, "map");
}

/* @then_vectors: not a raster: read it as vectors; @vector_error: not a
 * raster: why it was no vector source either */
static void
open_raster (SabanWindow *self,
             const char  *source,
             const char  *crs,
             gboolean     fit,
             gboolean     then_vectors,
             const char  *vector_error)
{
  OpenData *open = open_data_new (self, source, fit);

  open->then_vectors = then_vectors;
  open->vector_error = g_strdup (vector_error);
  self->loading++;
  update_progress_visible (self);
  saban_raster_layer_open_async (source, crs, self->load_cancellable, raster_done, open);
}

static void
open_raster_in (SabanWindow *self,
                const char  *source,
                const char  *crs,
                gboolean     fit)
{
  open_raster (self, source, crs, fit, FALSE, NULL);
}

/**
 * saban_window_open_file:
 *
 * Adds the layers of @file to the map, asking which when it holds several.
 */
void
saban_window_open_file (SabanWindow *self,
                        GFile       *file)
{
  g_autofree char *path = g_file_get_path (file);

  g_return_if_fail (SABAN_IS_WINDOW (self));

  if (path == NULL)
    path = g_file_get_uri (file);
  list_vector_layers (self, path, FALSE);
}

/**
 * saban_window_add_files:
 * @files: (array length=n_files): files given on the command line
 *
 * Adds every layer of each file, raster or vector (a file of both: its
 * vector layers), on top of what is shown, and fits the view to them once
 * they are read.
 */
void
saban_window_add_files (SabanWindow  *self,
                        GFile       **files,
                        int           n_files)
{
  g_return_if_fail (SABAN_IS_WINDOW (self));

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);

      if (path == NULL)
        path = g_file_get_uri (files[i]);
      list_vector_layers (self, path, TRUE);
    }
}

/**
 * saban_window_open_demo:
 *
 * Opens the demo province and says on the title bar that it is demo data.
 */
void
saban_window_open_demo (SabanWindow *self,
                        GFile       *file)
{
  g_autofree char *path = g_file_get_path (file);

  g_return_if_fail (SABAN_IS_WINDOW (self));

  saban_window_mark_demo (self);
  saban_window_open_source (self, path);
}

/**
 * saban_window_mark_demo:
 *
 * Says on the title bar that what is shown is demo data.
 */
void
saban_window_mark_demo (SabanWindow *self)
{
  g_return_if_fail (SABAN_IS_WINDOW (self));

  adw_window_title_set_subtitle (self->window_title, _("Lào Cai (demo data)"));
}

/**
 * saban_window_restore_workspace:
 *
 * Opens the sources of @workspace and arranges their layers and the view as
 * it says.
 */
void
saban_window_restore_workspace (SabanWindow    *self,
                                SabanWorkspace *workspace)
{
  g_auto(GStrv) sources = saban_workspace_dup_sources (workspace);

  g_return_if_fail (SABAN_IS_WINDOW (self));

  g_set_object (&self->restoring, workspace);
  /* a source without a CRS is read in the one the user chose last time */
  for (guint i = 0; sources[i] != NULL; i++)
    {
      const char *crs = saban_workspace_get_source_crs (workspace, sources[i]);
      gboolean raster = FALSE;

      for (guint k = 0; k < saban_workspace_get_n_layers (workspace); k++)
        {
          const SabanWorkspaceLayer *entry = saban_workspace_get_layer (workspace, k);

          raster |= entry->raster != NULL && g_str_equal (entry->source, sources[i]);
        }
      if (saban_map_service_is_source (sources[i]))
        saban_window_add_service (self, sources[i], NULL, NULL);
      else if (raster)
        open_raster_in (self, sources[i], crs, FALSE);
      else
        open_source_in (self, sources[i], NULL, crs, FALSE);
    }
  /* a workspace of map services only has nothing to wait for */
  loading_finished (self);
}

/**
 * saban_window_dup_workspace:
 *
 * Returns: (transfer full): the layers shown, bottom to top, and the view
 */
SabanWorkspace *
saban_window_dup_workspace (SabanWindow *self)
{
  SabanWorkspace *workspace = saban_layer_model_dup_workspace (self->layers);
  ShumateViewport *viewport = saban_map_view_get_viewport (self->map_view);

  if (self->has_extent)
    saban_workspace_set_view (workspace,
                              shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                              shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                              shumate_viewport_get_zoom_level (viewport));
  return workspace;
}

gboolean
saban_window_get_loading (SabanWindow *self)
{
  return self->loading > 0 || self->restyling > 0;
}

/* rows dim the layers the map is zoomed out of */
static void
on_zoom_changed (SabanWindow *self)
{
  double zoom = shumate_viewport_get_zoom_level (saban_map_view_get_viewport (self->map_view));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->layer_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (SABAN_IS_LAYER_ROW (row))
      saban_layer_row_set_zoom (SABAN_LAYER_ROW (row), zoom);
}

/**
 * saban_window_bind_layers:
 *
 * The layer list shows the session's layer model: a row for each layer,
 * a header for each group.
 */
void
saban_window_bind_layers (SabanWindow *self)
{
  gtk_list_box_bind_model (self->layer_list, G_LIST_MODEL (self->layers), create_layer_row, self, NULL);
  gtk_list_box_set_header_func (self->layer_list, group_headers, NULL, NULL);
  g_signal_connect_object (saban_map_view_get_viewport (self->map_view), "notify::zoom-level",
                           G_CALLBACK (on_zoom_changed), self, G_CONNECT_SWAPPED);
}
