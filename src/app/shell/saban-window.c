/* saban-window.c: the main window: layer list, map, status bar.
 *
 * Files are read by core in worker threads; the window only receives the
 * finished layers, gives each its style and a row, and hands it to the map.
 */
#include "saban-window.h"

#include <glib/gi18n.h>
#include <string.h>

#include "saban-attribute-table-window.h"
#include "saban-coordinate.h"
#include "saban-crs-catalog.h"
#include "saban-error.h"
#include "saban-format.h"
#include "saban-inspector.h"
#include "saban-layer-row.h"
#include "saban-layer-style.h"
#include "saban-map-view.h"
#include "saban-ogr-reader.h"
#include "saban-search.h"
#include "saban-source-dialog.h"
#include "saban-style-dialog.h"
#include "saban-alarm-panel.h"
#include "saban-scenario-launch.h"
#include "saban-sensor-panel.h"
#include "saban-sensor-status.h"
#include "saban-session.h"
#include "saban-status-bar.h"
#include "saban-workspace.h"

/* Frames with nothing left to draw before the map counts as drawn. */
#define SETTLED_FRAMES 12

struct _SabanWindow
{
  AdwApplicationWindow parent_instance;

  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  AdwFlap *flap;
  GtkListBox *layer_list;
  GtkBox *layers_page;
  GtkSearchEntry *search_entry;
  GtkStack *sidebar_stack;
  GtkListBox *result_list;
  GtkProgressBar *progress_bar;
  GtkWidget *progress_box;
  GtkStack *content_stack;
  SabanMapView *map_view;
  SabanStatusBar *status_bar;
  GtkRevealer *inspector_revealer;
  SabanInspector *inspector;
  GtkRevealer *sensor_revealer;
  GtkBox *sensor_box;
  SabanSensorPanel *sensor_panel;   /* NULL without the application's sensors */
  GtkLabel *measure_label;
  GtkLabel *replay_label;

  SabanSession *session;
  SabanLayerModel *layers;           /* the session's */
  SabanReplayView *replay;           /* the session's replay this window shows, or NULL */
  GSettings *settings;
  GCancellable *cancellable;         /* the window's life */
  GCancellable *load_cancellable;    /* reads the user may stop */
  GCancellable *search_cancellable;
  GPtrArray *hits;            /* SabanSearchHit shown in result_list */
  guint loading;
  guint restyling;   /* styles being made in workers */
  gboolean has_extent;
  double home_extent[4];
  gboolean home_from_province;

  SabanWorkspace *restoring;   /* the workspace being opened, until loaded */
  gboolean keep_view;          /* restoring a refreshed source: the view stays */
  guint refresh_id;

  GFile *screenshot_file;
  guint settled_frames;

  GtkRevealer *launch_revealer;     /* the scenario launch panel, beside the map; NULL until first opened */
  SabanScenarioLaunch *launch;
  GTask *pick;                      /* a point asked for by another window, until picked or given up */
};

enum { PROP_0, PROP_SESSION, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanWindow, saban_window, ADW_TYPE_APPLICATION_WINDOW)

typedef struct
{
  SabanWindow *self;        /* valid while life is not cancelled */
  GCancellable *life;
  char *source;
  char **only;
} OpenData;

static void
open_data_free (gpointer data)
{
  OpenData *open = data;

  g_clear_object (&open->life);
  g_free (open->source);
  g_strfreev (open->only);
  g_free (open);
}

static void open_source_in (SabanWindow *self, const char *source, const char * const *only, const char *crs);

/* A question with an extra widget: Cancel, or @accept (suggested, the default). */
static void
ask (AdwMessageDialog *dialog,
     GtkWidget        *extra,
     const char       *accept,
     const char       *accept_label,
     GCallback         on_response,
     gpointer          data)
{
  adw_message_dialog_set_extra_child (dialog, extra);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), accept, accept_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, accept, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, accept);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", on_response, data, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
toast (SabanWindow *self,
       const char  *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* win.toast(s): a short message over the map, from whatever has one to
 * tell the user in the window they are in (a write the server refused) */
static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  toast (SABAN_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
update_progress_visible (SabanWindow *self)
{
  gtk_widget_set_visible (self->progress_box, self->loading > 0);
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

static void show_feature (SabanWindow *self, SabanVectorLayer *layer, guint32 feature);

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
  show_feature (self, layer, feature);
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
  ask (dialog, entry, "rename", _("_Rename"), G_CALLBACK (on_rename_response), layer);
}

static void
remove_layer (SabanWindow *self,
              SabanLayer  *layer)
{
  gtk_revealer_set_reveal_child (self->inspector_revealer, FALSE);
  saban_layer_model_remove (self->layers, layer);
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
      if (entry->style.kind != NULL)
        saban_workspace_set_last_style (part, &entry->style);
    }
  /* collected first: each removal changes the model */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->layers)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->layers), i);

      if (g_str_equal (saban_vector_layer_get_source (saban_layer_get_vector (layer)), kept))
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

static void
update_refresh_timer (SabanWindow *self)
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
      if (saban_vector_layer_get_extent (layer, &e[0], &e[1], &e[2], &e[3]))
        saban_map_view_zoom_to_extent (self->map_view, e[0], e[1], e[2], e[3]);
    }
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
    refresh_source (self, saban_vector_layer_get_source (layer));
  else if (g_str_equal (action, "remove"))
    remove_layer (self, item);
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
add_layer (SabanWindow      *self,
           SabanVectorLayer *vector)
{
  g_autoptr(SabanLayerStyle) style = NULL;
  g_autoptr(SabanLayer) layer = NULL;
  const SabanWorkspaceLayer *saved = NULL;
  double extent[4];

  if (self->restoring != NULL &&
      saban_workspace_has_source (self->restoring, saban_vector_layer_get_source (vector)))
    {
      saved = saban_workspace_find_layer (self->restoring, saban_vector_layer_get_source (vector),
                                          saban_vector_layer_get_name (vector));
      /* The user had removed it. */
      if (saved == NULL)
        return;
    }

  style = saban_layer_style_new_for_layer (vector);
  layer = saban_layer_new (vector, style);
  if (saved != NULL)
    {
      saban_layer_set_custom_title (layer, saved->title);
      saban_layer_set_visible (layer, saved->visible);
      saban_layer_set_opacity (layer, saved->opacity);
    }
  saban_layer_model_add (self->layers, layer);
  if (saved != NULL && saved->style.kind != NULL)
    {
      g_auto(SabanStyleChoice) choice = { 0 };

      saban_style_choice_from_workspace (&saved->style, &choice);
      restyle (self, vector, style, &choice);
    }

  /* Home is the province when one is loaded, else everything loaded. */
  if (!saban_vector_layer_get_extent (vector, &extent[0], &extent[1], &extent[2], &extent[3]))
    return;
  if (g_str_equal (saban_vector_layer_get_name (vector), "province"))
    {
      memcpy (self->home_extent, extent, sizeof extent);
      self->home_from_province = TRUE;
    }
  else if (!self->home_from_province)
    {
      if (!self->has_extent)
        memcpy (self->home_extent, extent, sizeof extent);
      self->home_extent[0] = MIN (self->home_extent[0], extent[0]);
      self->home_extent[1] = MIN (self->home_extent[1], extent[1]);
      self->home_extent[2] = MAX (self->home_extent[2], extent[2]);
      self->home_extent[3] = MAX (self->home_extent[3], extent[3]);
    }
  self->has_extent = TRUE;
}

static void
zoom_home (SabanWindow *self)
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
  open_source_in (self, source, g_object_get_data (G_OBJECT (dialog), "only"), crs);
}

/* The source does not say its CRS: ask, offering the province's zone first. */
static void
ask_crs (SabanWindow        *self,
         const char         *source,
         const char * const *only,
         const char         *reason)
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
  ask (dialog, choice, "open", _("_Open"), G_CALLBACK (on_crs_response), self);
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

  if (g_cancellable_is_cancelled (open->life))
    {
      open_data_free (open);
      return;
    }

  self->loading--;
  update_progress_visible (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, _("Loading stopped"));
  else if (g_error_matches (error, SABAN_ERROR, SABAN_ERROR_NEEDS_CRS))
    ask_crs (self, open->source, (const char * const *) open->only, error->message);
  else if (layers == NULL)
    {
      toast (self, error->message);
      g_warning ("%s", error->message);
    }
  else
    {
      first = !self->has_extent;
      for (guint i = 0; i < layers->len; i++)
        add_layer (self, g_ptr_array_index (layers, i));
      gtk_stack_set_visible_child_name (self->content_stack, "map");
      if (self->restoring == NULL && (first || !self->home_from_province))
        zoom_home (self);
    }
  if (self->loading == 0 && self->restoring != NULL)
    {
      double lat, lon, zoom;

      saban_layer_model_order_as (self->layers, self->restoring);
      if (saban_workspace_get_view (self->restoring, &lat, &lon, &zoom))
        saban_map_view_center_on (self->map_view, lat, lon, zoom);
      else if (!self->keep_view)
        zoom_home (self);
      self->keep_view = FALSE;
      g_clear_object (&self->restoring);
    }
  if (self->loading == 0 && !self->has_extent)
    gtk_stack_set_visible_child_name (self->content_stack, "empty");
  open_data_free (open);
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

  open_source_in (self, source, NULL, NULL);
}

/* @only: the layers to read, %NULL for all; @crs: what to assume for layers
 * without one, %NULL to ask the user. */
static void
open_source_in (SabanWindow        *self,
                const char         *source,
                const char * const *only,
                const char         *crs)
{
  OpenData *open = g_new0 (OpenData, 1);

  open->self = self;
  open->life = g_object_ref (self->cancellable);
  open->source = g_strdup (source);
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
    open_source_in (self, g_object_get_data (G_OBJECT (dialog), "source"), (const char * const *) only, NULL);
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
  ask (dialog, box, "open", _("_Add"), G_CALLBACK (on_pick_response), self);
}

static void
list_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenData *open = user_data;
  SabanWindow *self = open->self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = saban_ogr_list_layers_finish (result, &error);

  if (g_cancellable_is_cancelled (open->life))
    {
      open_data_free (open);
      return;
    }
  self->loading--;
  update_progress_visible (self);
  if (names == NULL)
    {
      toast (self, error->message);
      g_warning ("%s", error->message);
    }
  else if (g_strv_length (names) > 1)
    pick_layers (self, open->source, names);
  else
    open_source_in (self, open->source, NULL, NULL);
  open_data_free (open);
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
  OpenData *open = g_new0 (OpenData, 1);
  g_autofree char *path = g_file_get_path (file);

  g_return_if_fail (SABAN_IS_WINDOW (self));

  if (path == NULL)
    path = g_file_get_uri (file);
  open->self = self;
  open->life = g_object_ref (self->cancellable);
  open->source = g_strdup (path);
  /* Counted as loading, so tests and the screenshot wait for the answer. */
  self->loading++;
  saban_ogr_list_layers_async (path, self->load_cancellable, list_done, open);
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
    open_source_in (self, sources[i], NULL, saban_workspace_get_source_crs (workspace, sources[i]));
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

/* FALSE when the window drew nothing yet (seen under load on Xvfb): the
 * caller tries again at a later frame rather than rendering no node */
static gboolean
capture (SabanWindow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_file_get_path (self->screenshot_file);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (self)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_warning ("Could not save the %d×%d screenshot to %s", width, height, path);
  else
    g_message ("Screenshot saved to %s", path);
  g_clear_object (&self->screenshot_file);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static gboolean
screenshot_tick (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  SabanWindow *self = SABAN_WINDOW (widget);

  if (saban_window_get_loading (self) || saban_map_view_get_busy (self->map_view) ||
      saban_session_get_sensors_busy (self->session) ||
      (self->sensor_panel != NULL && saban_sensor_panel_get_busy (self->sensor_panel)) ||
      gtk_widget_get_width (GTK_WIDGET (self->map_view)) <= 1)
    {
      self->settled_frames = 0;
      return G_SOURCE_CONTINUE;
    }
  if (++self->settled_frames < SETTLED_FRAMES)
    return G_SOURCE_CONTINUE;
  if (!capture (self))
    {
      self->settled_frames = 0;
      return G_SOURCE_CONTINUE;
    }
  return G_SOURCE_REMOVE;
}

/**
 * saban_window_save_screenshot_when_drawn:
 *
 * Once every file is loaded and every visible tile drawn, saves the window
 * as a PNG to @file and closes. For tests and documentation.
 */
void
saban_window_save_screenshot_when_drawn (SabanWindow *self,
                                         GFile       *file)
{
  g_return_if_fail (SABAN_IS_WINDOW (self));

  g_set_object (&self->screenshot_file, file);
  self->settled_frames = 0;
  gtk_widget_add_tick_callback (GTK_WIDGET (self), screenshot_tick, NULL, NULL);
}

static void
on_zoom_changed (SabanWindow *self)
{
  double zoom = shumate_viewport_get_zoom_level (saban_map_view_get_viewport (self->map_view));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->layer_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (SABAN_IS_LAYER_ROW (row))
      saban_layer_row_set_zoom (SABAN_LAYER_ROW (row), zoom);
}


static void
on_feature_activated (SabanWindow      *self,
                      SabanVectorLayer *layer,
                      gint64            feature)
{
  SabanLayer *item = layer != NULL ? saban_layer_model_find (self->layers, layer) : NULL;

  if (item == NULL || feature < 0)
    {
      gtk_revealer_set_reveal_child (self->inspector_revealer, FALSE);
      return;
    }
  saban_inspector_show_feature (self->inspector, layer, saban_layer_get_style (item), feature);
  gtk_revealer_set_reveal_child (self->sensor_revealer, FALSE);
  gtk_revealer_set_reveal_child (self->inspector_revealer, TRUE);
}

/* A sensor opens in the inspector's place: one panel on the right at a time. */
static void
on_sensor_activated (SabanWindow *self,
                     guint        index)
{
  if (self->sensor_panel == NULL)
    return;
  saban_sensor_panel_show_sensor (self->sensor_panel, index);
  gtk_revealer_set_reveal_child (self->inspector_revealer, FALSE);
  gtk_revealer_set_reveal_child (self->sensor_revealer, TRUE);
}

/* An alarm opens its sensor and brings it into view, close enough to see
 * its value beside it. */
static void
on_alarm_activated (SabanWindow *self,
                    guint        index)
{
  const SabanSensor *s = saban_sensor_store_get_sensor (saban_session_get_sensor_store (self->session), index);
  double zoom = shumate_viewport_get_zoom_level (saban_map_view_get_viewport (self->map_view));

  saban_map_view_center_on (self->map_view, s->lat, s->lon, MAX (zoom, 12));
  on_sensor_activated (self, index);
}

static void
on_sensor_panel_closed (SabanWindow *self)
{
  gtk_revealer_set_reveal_child (self->sensor_revealer, FALSE);
}

static void
on_inspector_closed (SabanWindow *self)
{
  gtk_revealer_set_reveal_child (self->inspector_revealer, FALSE);
  saban_map_view_select (self->map_view, NULL, -1);
}

static void
on_measure_changed (SabanWindow *self,
                    double       length,
                    double       area,
                    guint        n_points)
{
  g_autofree char *text = NULL;
  g_autofree char *metres = saban_format_number (length, 1);

  if (n_points < 2)
    text = g_strdup (_("Click on the map to add points; double-click to finish"));
  else if (area > 0)
    {
      g_autofree char *ha = saban_format_number (area / 10000, 2);
      g_autofree char *m2 = saban_format_number (area, 0);
      text = g_strdup_printf (_("Area: %s ha (%s m²) · perimeter %s m"), ha, m2, metres);
    }
  else
    text = g_strdup_printf (_("Distance: %s m"), metres);
  gtk_label_set_label (self->measure_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->measure_label), TRUE);
}

static void
tool_action (GSimpleAction *action,
             GVariant      *state,
             gpointer       user_data)
{
  SabanWindow *self = user_data;
  const char *tool = g_variant_get_string (state, NULL);

  g_simple_action_set_state (action, state);
  if (g_str_equal (tool, "length"))
    saban_map_view_set_tool (self->map_view, SABAN_MAP_TOOL_MEASURE_LENGTH);
  else if (g_str_equal (tool, "area"))
    saban_map_view_set_tool (self->map_view, SABAN_MAP_TOOL_MEASURE_AREA);
  else
    saban_map_view_set_tool (self->map_view, SABAN_MAP_TOOL_SELECT);
  if (g_str_equal (tool, "select"))
    gtk_widget_set_visible (GTK_WIDGET (self->measure_label), FALSE);
  else
    on_measure_changed (self, 0, 0, 0);
}

/* Shows the feature: centred, zoomed so it fills most of the view
 * (points to street scale), highlighted and inspected. */
static void
show_feature (SabanWindow      *self,
              SabanVectorLayer *layer,
              guint32           feature)
{
  const double *box = saban_vector_layer_get_arrays (layer)->boxes + 4 * (gsize) feature;
  double cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
  double half = MAX (MAX (box[2] - box[0], box[3] - box[1]) * 0.65, 400);

  saban_map_view_zoom_to_extent (self->map_view, cx - half, cy - half, cx + half, cy + half);
  saban_map_view_select (self->map_view, layer, feature);
  on_feature_activated (self, layer, feature);
}


static void
search_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SabanWindow *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = saban_search_finish (result, &error);
  GtkWidget *child;

  if (hits == NULL)
    return;
  self = SABAN_WINDOW (user_data);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->result_list))) != NULL)
    gtk_list_box_remove (self->result_list, child);
  g_clear_pointer (&self->hits, g_ptr_array_unref);
  self->hits = g_ptr_array_ref (hits);

  for (guint i = 0; i < hits->len; i++)
    {
      SabanSearchHit *hit = g_ptr_array_index (hits, i);
      SabanLayer *layer = saban_layer_model_find (self->layers, hit->layer);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hit->text);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), layer != NULL ? saban_layer_get_title (layer)
                                                                        : saban_vector_layer_get_name (hit->layer));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->result_list, row);
    }
}

static void
on_search_changed (SabanWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) layers = NULL;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (*text == '\0')
    {
      gtk_stack_set_visible_child_name (self->sidebar_stack, "layers");
      return;
    }
  self->search_cancellable = g_cancellable_new ();
  layers = saban_layer_model_dup_vectors (self->layers);
  gtk_stack_set_visible_child_name (self->sidebar_stack, "results");
  saban_search_async (layers, text, 200, self->search_cancellable, search_done, self);
}

static void
on_result_activated (SabanWindow   *self,
                     GtkListBoxRow *row)
{
  int index = gtk_list_box_row_get_index (row);
  SabanSearchHit *hit;

  if (self->hits == NULL || index < 0 || (guint) index >= self->hits->len)
    return;
  hit = g_ptr_array_index (self->hits, index);
  show_feature (self, hit->layer, hit->feature);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SabanWindow   *self)
{
  GSList *files = g_value_get_boxed (value);

  for (GSList *l = files; l != NULL; l = l->next)
    saban_window_open_file (self, l->data);
  return files != NULL;
}

static void
on_pointer_moved (SabanWindow *self,
                  double       latitude,
                  double       longitude)
{
  saban_status_bar_set_pointer (self->status_bar, latitude, longitude);
}

static void
on_pointer_left (SabanWindow *self)
{
  saban_status_bar_clear_pointer (self->status_bar);
}

static void
update_base_map (SabanWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "base-map-url");
  g_autofree char *attribution = g_settings_get_string (self->settings, "base-map-attribution");

  saban_map_view_set_base_map (self->map_view,
                               g_settings_get_boolean (self->settings, "base-map-enabled") ? url : NULL,
                               attribution);
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  SabanWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          saban_window_open_file (self, file);
        }
    }
  g_object_unref (dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Add Layer"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_file_filter_set_name (filter, _("Vector data (GeoPackage, Shapefile, GeoJSON, KML, CSV)"));
  for (const char *const *p = (const char *const[]) { "*.gpkg", "*.shp", "*.geojson", "*.json", "*.kml", "*.csv", "*.fgb", NULL }; *p; p++)
    gtk_file_filter_add_pattern (filter, *p);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_source_chosen (SabanWindow *self,
                  const char  *source)
{
  saban_window_open_source (self, source);
}

static void
add_server_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);
  GtkWidget *dialog = saban_source_dialog_new (GTK_WINDOW (self));

  g_signal_connect_object (dialog, "source-chosen", G_CALLBACK (on_source_chosen), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
zoom_home_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  zoom_home (SABAN_WINDOW (widget));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);
  ShumateViewport *viewport = saban_map_view_get_viewport (self->map_view);
  double step = g_str_equal (action_name, "win.zoom-in") ? 1 : -1;

  shumate_viewport_set_zoom_level (viewport, shumate_viewport_get_zoom_level (viewport) + step);
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

static void
on_go_to_response (AdwMessageDialog *dialog,
                   const char       *response,
                   SabanWindow      *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;
  double lat, lon;

  if (!g_str_equal (response, "go"))
    return;
  if (!saban_coordinate_parse (gtk_editable_get_text (entry), &lat, &lon, &error))
    {
      toast (self, error->message);
      return;
    }
  saban_map_view_center_on (self->map_view, lat, lon, 15);
  saban_map_view_show_pin (self->map_view, lat, lon);
}

static void
go_to_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);
  AdwMessageDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Go to Coordinate"),
                                                       _("Latitude and longitude in decimal degrees or degrees, minutes and seconds, or VN-2000 / TM-3 104°45′ X and Y in metres.")));
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "22,48123, 103,97512");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  ask (dialog, entry, "go", _("_Go"), G_CALLBACK (on_go_to_response), self);
}

static void
cancel_loading_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* While the user draws the area, the panel steps aside and the hint shows
 * over the map. */
static void
on_launch_drawing (SabanWindow *self)
{
  gboolean drawing = saban_scenario_launch_get_drawing (self->launch);
  const char *hint = saban_scenario_launch_get_hint (self->launch);

  gtk_revealer_set_reveal_child (self->launch_revealer, !drawing);
  gtk_widget_set_visible (GTK_WIDGET (self->measure_label), drawing && hint != NULL);
  if (hint != NULL)
    gtk_label_set_label (self->measure_label, hint);
}

static void
on_launch_closed (SabanWindow *self)
{
  gtk_revealer_set_reveal_child (self->launch_revealer, FALSE);
}

/* The panel goes beside the map, where the inspector goes. */
static gboolean
open_launch (SabanWindow *self)
{
  SabanCommandClient *client = saban_session_get_command_client (self->session);
  g_autoptr(GPtrArray) layers = NULL;

  if (client == NULL)
    {
      toast (self, _("Scenarios are not available: the local outbox could not be opened"));
      return FALSE;
    }
  if (self->launch == NULL)
    {
      GtkWidget *launch = saban_scenario_launch_new (self->session, self->map_view);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      self->launch = SABAN_SCENARIO_LAUNCH (launch);
      self->launch_revealer = GTK_REVEALER (gtk_revealer_new ());
      gtk_revealer_set_transition_type (self->launch_revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_LEFT);
      gtk_widget_add_css_class (launch, "background");
      gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
      gtk_box_append (GTK_BOX (box), launch);
      gtk_revealer_set_child (self->launch_revealer, box);
      gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->inspector_revealer))),
                      GTK_WIDGET (self->launch_revealer));
      g_signal_connect_object (launch, "notify::drawing", G_CALLBACK (on_launch_drawing), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (launch, "notify::hint", G_CALLBACK (on_launch_drawing), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (launch, "closed", G_CALLBACK (on_launch_closed), self, G_CONNECT_SWAPPED);
    }
  layers = saban_layer_model_dup_vectors (self->layers);
  saban_scenario_launch_reset (self->launch, layers);
  on_inspector_closed (self);
  gtk_revealer_set_reveal_child (self->launch_revealer, TRUE);
  return TRUE;
}

static void
launch_scenario_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  open_launch (SABAN_WINDOW (widget));
}

/* From an alarm: prefilled from its sensor. */
static void
launch_for_sensor_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);

  if (open_launch (self))
    saban_scenario_launch_prefill_sensor (self->launch, g_variant_get_uint32 (parameter));
}

/* ---- a point picked for another window --------------------------------- */

/* @leave_tool: the map is still in the point tool (not when the user left
 * it for another) */
static void
finish_pick (SabanWindow  *self,
             const double *point,
             gboolean      leave_tool)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->pick);

  if (task == NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->measure_label), FALSE);
  if (leave_tool)
    saban_map_view_set_tool (self->map_view, SABAN_MAP_TOOL_SELECT);
  if (point == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("No place was picked"));
      return;
    }
  g_task_return_pointer (task, g_memdup2 (point, 2 * sizeof (double)), g_free);
}

static void
on_point_picked (SabanWindow *self,
                 double       latitude,
                 double       longitude)
{
  finish_pick (self, (const double[]) { latitude, longitude }, TRUE);
}

static void
on_pick_cancelled (SabanWindow *self)
{
  finish_pick (self, NULL, FALSE);
}

/* the session asks for a point on behalf of another window (a task's
 * place): this window comes forward with its map waiting for one click;
 * Escape gives up. A new request gives up the one before. */
static gboolean
on_pick_point (SabanWindow *self,
               GTask       *task,
               const char  *hint)
{
  finish_pick (self, NULL, TRUE);
  self->pick = g_object_ref (task);
  gtk_label_set_label (self->measure_label, hint);
  gtk_widget_set_visible (GTK_WIDGET (self->measure_label), TRUE);
  gtk_window_present (GTK_WINDOW (self));
  saban_map_view_set_tool (self->map_view, SABAN_MAP_TOOL_PICK_POINT);
  return TRUE;
}

/**
 * saban_window_get_map_view:
 * Returns: (transfer none): the window's map
 */
SabanMapView *
saban_window_get_map_view (SabanWindow *self)
{
  g_return_val_if_fail (SABAN_IS_WINDOW (self), NULL);
  return self->map_view;
}

/* The session's replay, or the live picture: the scenario as it stood at
 * the replay's time, and the sensors and units of then once their history
 * is loaded. The live alarms pulse only over the live sensors: they are
 * about the live store's readings. */
static void
show_replay (SabanWindow *self)
{
  SabanReplayView *replay = self->replay;
  GDateTime *time = replay != NULL ? saban_replay_view_get_time (replay) : NULL;
  SabanSensorStore *sensors = time != NULL ? saban_replay_view_get_sensors (replay) : NULL;
  SabanSensorStore *live = saban_session_get_sensor_store (self->session);
  const char *label = sensors != NULL ? saban_replay_view_get_label (replay) : NULL;
  SabanScenarioLayer *scenarios = saban_map_view_get_scenario_layer (self->map_view);

  /* no scenario layer without a command store (a local session) */
  if (scenarios != NULL)
    saban_scenario_layer_show_replay (scenarios, time != NULL ? saban_replay_view_get_scenario (replay) : NULL,
                                      time != NULL ? saban_replay_view_get_replay (replay) : NULL, time);
  gtk_widget_set_visible (GTK_WIDGET (self->replay_label), label != NULL);
  if (label != NULL)
    gtk_label_set_label (self->replay_label, label);
  if (live == NULL ||
      saban_sensor_layer_get_store (saban_map_view_get_sensor_layer (self->map_view)) == (sensors != NULL ? sensors : live))
    return;
  saban_map_view_set_sensor_store (self->map_view, sensors != NULL ? sensors : live);
  saban_map_view_set_unit_store (self->map_view, sensors != NULL ? saban_replay_view_get_units (replay)
                                                                  : saban_session_get_units (self->session));
  saban_sensor_layer_set_alarms (saban_map_view_get_sensor_layer (self->map_view),
                                 sensors != NULL ? NULL : saban_session_get_alarms (self->session));
}

static void
on_replay_changed (SabanWindow *self)
{
  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_set_object (&self->replay, saban_session_get_replay (self->session));
  if (self->replay != NULL)
    g_signal_connect_object (self->replay, "changed", G_CALLBACK (show_replay), self, G_CONNECT_SWAPPED);
  show_replay (self);
}

/* From a CAP alert's alarm (its identifier): prefilled from the alert. */
static void
launch_for_alert_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);
  GListModel *alarms = G_LIST_MODEL (saban_session_get_alarms (self->session));
  const char *identifier = g_variant_get_string (parameter, NULL);

  if (alarms == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (alarms); i++)
    {
      g_autoptr(SabanAlarm) alarm = g_list_model_get_item (alarms, i);

      if (g_strcmp0 (saban_alarm_get_cap_identifier (alarm), identifier) == 0)
        {
          if (open_launch (self))
            saban_scenario_launch_prefill_alert (self->launch, alarm);
          return;
        }
    }
}

static gboolean
saban_window_close_request (GtkWindow *window)
{
  SabanWindow *self = SABAN_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (saban_window_parent_class)->close_request (window);
}

static void
saban_window_dispose (GObject *object)
{
  SabanWindow *self = (SabanWindow *) object;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  finish_pick (self, NULL, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_pointer (&self->hits, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->restoring);
  g_clear_object (&self->screenshot_file);
  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_clear_object (&self->replay);
  g_clear_object (&self->layers);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_WINDOW);

  G_OBJECT_CLASS (saban_window_parent_class)->dispose (object);
}

static void
on_sensor_filter_changed (SabanWindow *self, SabanSensorFinder *finder)
{
  saban_sensor_layer_set_filter (saban_map_view_get_sensor_layer (self->map_view),
                                 saban_sensor_finder_get_filter (finder));
}

/* a sensor found by name: close to it, and shown as if clicked on the map */
static void
on_sensor_chosen (SabanWindow *self, guint index)
{
  SabanSensorStore *store = saban_sensor_layer_get_store (saban_map_view_get_sensor_layer (self->map_view));
  const SabanSensor *s = saban_sensor_store_get_sensor (store, index);

  saban_map_view_center_on (self->map_view, s->lat, s->lon, 14);
  g_signal_emit_by_name (self->map_view, "sensor-activated", index);
}

/* The live picture every window of the session shares: one sensor store,
 * one feed, one command store. A local session (widget tests) has none. */
static void
show_live (SabanWindow *self)
{
  SabanSession *session = self->session;
  SabanCommandClient *client = saban_session_get_command_client (session);
  GtkWidget *alarm_panel, *status;
  SabanSensorFinder *finder;

  if (client != NULL)
    saban_map_view_set_command_store (self->map_view, saban_command_client_get_store (client));
  if (saban_session_get_sensor_store (session) == NULL)
    return;
  saban_map_view_set_sensor_store (self->map_view, saban_session_get_sensor_store (session));
  saban_map_view_set_unit_store (self->map_view, saban_session_get_units (session));
  saban_sensor_layer_set_alarms (saban_map_view_get_sensor_layer (self->map_view), saban_session_get_alarms (session));

  alarm_panel = saban_alarm_panel_new (saban_session_get_alarms (session),
                                       saban_connection_get_account (saban_session_get_connection (session)));
  gtk_box_append (self->layers_page, alarm_panel);
  g_signal_connect_object (alarm_panel, "sensor-activated", G_CALLBACK (on_alarm_activated), self, G_CONNECT_SWAPPED);

  status = saban_sensor_status_new (saban_session_get_sensor_store (session), saban_session_get_sensor_feed (session),
                                    saban_session_get_alarms (session));
  finder = saban_sensor_status_get_finder (SABAN_SENSOR_STATUS (status));
  gtk_box_append (self->layers_page, status);
  g_signal_connect_object (finder, "filter-changed", G_CALLBACK (on_sensor_filter_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (finder, "sensor-chosen", G_CALLBACK (on_sensor_chosen), self, G_CONNECT_SWAPPED);

  self->sensor_panel = SABAN_SENSOR_PANEL (saban_sensor_panel_new (saban_session_get_sensor_client (session)));
  gtk_widget_set_hexpand (GTK_WIDGET (self->sensor_panel), FALSE);
  gtk_box_append (self->sensor_box, GTK_WIDGET (self->sensor_panel));
  g_signal_connect_object (self->sensor_panel, "closed", G_CALLBACK (on_sensor_panel_closed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "sensor-activated", G_CALLBACK (on_sensor_activated), self, G_CONNECT_SWAPPED);
}

static void
saban_window_constructed (GObject *object)
{
  SabanWindow *self = SABAN_WINDOW (object);

  G_OBJECT_CLASS (saban_window_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = saban_session_new_local ();
  self->layers = g_object_ref (saban_session_get_layers (self->session));
  gtk_list_box_bind_model (self->layer_list, G_LIST_MODEL (self->layers), create_layer_row, self, NULL);
  saban_map_view_set_layers (self->map_view, self->layers);
  saban_status_bar_set_session (self->status_bar, self->session);
  show_live (self);
  g_signal_connect_object (self->session, "notify::replay", G_CALLBACK (on_replay_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "pick-point", G_CALLBACK (on_pick_point), self, G_CONNECT_SWAPPED);
  on_replay_changed (self);
}

static void
saban_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanWindow *self = SABAN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanWindow *self = SABAN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_window_class_init (SabanWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = saban_window_constructed;
  object_class->dispose = saban_window_dispose;
  object_class->get_property = saban_window_get_property;
  object_class->set_property = saban_window_set_property;
  window_class->close_request = saban_window_close_request;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SABAN_TYPE_MAP_VIEW);
  g_type_ensure (SABAN_TYPE_STATUS_BAR);
  g_type_ensure (SABAN_TYPE_INSPECTOR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, layer_list);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, layers_page);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, result_list);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, map_view);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, status_bar);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, inspector_revealer);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, sensor_revealer);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, sensor_box);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, measure_label);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, replay_label);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.add-server", NULL, add_server_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-home", NULL, zoom_home_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-loading", NULL, cancel_loading_action);
  gtk_widget_class_install_action (widget_class, "win.go-to", NULL, go_to_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.launch-scenario", NULL, launch_scenario_action);
  gtk_widget_class_install_action (widget_class, "win.launch-scenario-for-sensor", "u", launch_for_sensor_action);
  gtk_widget_class_install_action (widget_class, "win.launch-scenario-for-alert", "s", launch_for_alert_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_CONTROL_MASK, "win.zoom-home", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "win.go-to", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.tool", "s", "select");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.tool", "s", "length");
}

static void
saban_window_init (SabanWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  const GActionEntry entries[] = {
    { "tool", NULL, "s", "'select'", tool_action },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();
  self->settings = g_settings_new (SCHEMA_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_list_box_set_header_func (self->layer_list, group_headers, NULL, NULL);
  saban_status_bar_set_viewport (self->status_bar, saban_map_view_get_viewport (self->map_view));
  g_signal_connect_object (self->map_view, "pointer-moved", G_CALLBACK (on_pointer_moved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "pointer-left", G_CALLBACK (on_pointer_left), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "feature-activated", G_CALLBACK (on_feature_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "measure-changed", G_CALLBACK (on_measure_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "point-picked", G_CALLBACK (on_point_picked), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "pick-cancelled", G_CALLBACK (on_pick_cancelled), self, G_CONNECT_SWAPPED);
  /* Files dropped anywhere on the map open as layers. */
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->map_view), GTK_EVENT_CONTROLLER (drop));
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->result_list, "row-activated", G_CALLBACK (on_result_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->inspector, "closed", G_CALLBACK (on_inspector_closed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (saban_map_view_get_viewport (self->map_view), "notify::zoom-level",
                           G_CALLBACK (on_zoom_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->settings, "changed::base-map-enabled", G_CALLBACK (update_base_map), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::base-map-url", G_CALLBACK (update_base_map), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::refresh-minutes", G_CALLBACK (update_refresh_timer), self, G_CONNECT_SWAPPED);
  update_refresh_timer (self);
  update_base_map (self);
}

/**
 * saban_window_new:
 * @application: (nullable): the application
 * @session: (nullable): the session it shows; NULL for a local one (no
 *   server: widget tests)
 *
 * Returns: (transfer floating): a main window
 */
SabanWindow *
saban_window_new (GtkApplication *application,
                  SabanSession   *session)
{
  return g_object_new (SABAN_TYPE_WINDOW, "application", application, "session", session, NULL);
}

/**
 * saban_window_get_session:
 * Returns: (transfer none): the session the window shows
 */
SabanSession *
saban_window_get_session (SabanWindow *self)
{
  g_return_val_if_fail (SABAN_IS_WINDOW (self), NULL);
  return self->session;
}
