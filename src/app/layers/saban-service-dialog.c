/* saban-service-dialog.c: add a map service as a layer — a WMS or WMTS
 * server's address, its capabilities read (core/net, off the main thread),
 * its layers listed, each with a tick and its styles: several WMS layers
 * ticked make one map layer (LAYERS=a,b&STYLES=s1,s2, drawn by the server
 * in that order), a WMTS layer is one of them; or an XYZ/TMS tile address
 * as it is. The dialog only writes the service's string
 * (saban_map_service_get_source()); the window adds the layer as it adds
 * one from a workspace. */
#include "saban-service-dialog.h"

#include <glib/gi18n.h>

#include "saban-api.h"
#include "saban-service-capabilities.h"
#include "saban-tile-cache.h"

struct _SabanServiceDialog
{
  AdwWindow parent_instance;

  AdwComboRow *kind_row;
  AdwEntryRow *url_row;
  AdwPasswordEntryRow *password_row;
  GtkWidget *read_button;
  AdwPreferencesGroup *layer_group;

  GPtrArray *layers;       /* SabanServiceLayer, as read (those the map cannot draw say why) */
  GPtrArray *rows;         /* AdwActionRow per layer: its tick, its styles */
  char *version;           /* the version the server answered with */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (SabanServiceDialog, saban_service_dialog, ADW_TYPE_WINDOW)

enum {
  SERVICE_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* the kind row's items, in its order */
static const SabanServiceKind kinds[] = { SABAN_SERVICE_WMS, SABAN_SERVICE_WMTS, SABAN_SERVICE_XYZ, SABAN_SERVICE_TMS };

static SabanServiceKind
chosen_kind (SabanServiceDialog *self)
{
  return kinds[MIN (adw_combo_row_get_selected (self->kind_row), G_N_ELEMENTS (kinds) - 1)];
}

static gboolean
has_capabilities (SabanServiceKind kind)
{
  return kind == SABAN_SERVICE_WMS || kind == SABAN_SERVICE_WMTS;
}

static void
set_status (SabanServiceDialog *self,
            const char         *text)
{
  adw_preferences_group_set_description (self->layer_group, text);
}

/* the password typed, or NULL */
static const char *
typed_password (SabanServiceDialog *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  return *password != '\0' ? password : NULL;
}

static void
forget_layers (SabanServiceDialog *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->layer_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->layers, 0);
  g_clear_pointer (&self->version, g_free);
}

static GtkCheckButton *
row_tick (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "tick");
}

/* the style chosen in @row: "" for the server's default */
static const char *
row_style (GtkWidget         *row,
           SabanServiceLayer *layer)
{
  GtkDropDown *styles = g_object_get_data (G_OBJECT (row), "styles");
  guint i = styles != NULL ? gtk_drop_down_get_selected (styles) : 0;

  return styles != NULL && i < g_strv_length (layer->styles) ? layer->styles[i] : "";
}

/* A layer the map cannot draw says why as soon as it is ticked; another
 * tick clears what was said before. */
static void
on_tick_toggled (GtkCheckButton *tick,
                 gpointer        user_data)
{
  GtkWidget *dialog = gtk_widget_get_ancestor (GTK_WIDGET (tick), SABAN_TYPE_SERVICE_DIALOG);
  SabanServiceLayer *layer = user_data;

  if (dialog != NULL)
    set_status (SABAN_SERVICE_DIALOG (dialog), gtk_check_button_get_active (tick) ? layer->refusal : NULL);
}

/* A row per layer: its tick (WMTS: one of them), its title, its name or
 * why the map cannot draw it, and its styles when it has a choice. Named
 * after the layer, as the tests find it. */
static GtkWidget *
layer_row (SabanServiceLayer *layer,
           GtkCheckButton    *group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *tick = gtk_check_button_new ();

  gtk_widget_set_name (row, layer->name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 layer->title != NULL && *layer->title != '\0' ? layer->title : layer->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), layer->refusal != NULL ? layer->refusal : layer->name);
  gtk_widget_set_valign (tick, GTK_ALIGN_CENTER);
  gtk_check_button_set_group (GTK_CHECK_BUTTON (tick), group);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), tick);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), tick);
  g_object_set_data (G_OBJECT (row), "tick", tick);
  g_signal_connect (tick, "toggled", G_CALLBACK (on_tick_toggled), layer);
  if (layer->styles != NULL && g_strv_length (layer->styles) > 1)
    {
      GtkWidget *styles = gtk_drop_down_new_from_strings ((const char * const *) layer->styles);

      gtk_widget_set_valign (styles, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (styles, _("Style"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), styles);
      g_object_set_data (G_OBJECT (row), "styles", styles);
    }
  return row;
}

/* Another kind or address: what was read (or is being read) was for the
 * one before, and is given up. */
static void
start_over (SabanServiceDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "service.read", TRUE);
  forget_layers (self);
  set_status (self, NULL);
}

static void
on_kind_selected (SabanServiceDialog *self)
{
  gboolean layered = has_capabilities (chosen_kind (self));

  start_over (self);
  gtk_widget_set_visible (self->read_button, layered);
  gtk_widget_set_visible (GTK_WIDGET (self->layer_group), layered);
}

static void
capabilities_read (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GPtrArray) layers = saban_tile_cache_read_capabilities_finish (SABAN_TILE_CACHE (object), result,
                                                                           &version, &error);
  SabanServiceDialog *self;
  guint refused = 0, first = G_MAXUINT;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_SERVICE_DIALOG (user_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "service.read", TRUE);
  if (layers == NULL)
    {
      g_autofree char *why = saban_api_describe_error (error);

      set_status (self, why);
      return;
    }
  self->version = g_steal_pointer (&version);
  g_ptr_array_extend_and_steal (self->layers, g_steal_pointer (&layers));
  for (guint i = 0; i < self->layers->len; i++)
    {
      SabanServiceLayer *layer = g_ptr_array_index (self->layers, i);
      GtkWidget *row = layer_row (layer, chosen_kind (self) == SABAN_SERVICE_WMTS && i > 0 ?
                                  row_tick (g_ptr_array_index (self->rows, 0)) : NULL);

      g_ptr_array_add (self->rows, row);
      adw_preferences_group_add (self->layer_group, row);
      if (layer->refusal != NULL)
        refused++;
      else if (first == G_MAXUINT)
        first = i;
    }
  /* the first the map can draw is ticked */
  if (first != G_MAXUINT)
    gtk_check_button_set_active (row_tick (g_ptr_array_index (self->rows, first)), TRUE);
  if (self->layers->len == refused)
    set_status (self, _("The service offers no layer in Web Mercator (EPSG:3857), which the map needs"));
  else if (refused > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u layer cannot be drawn on the map: choose it to see why",
                                                            "%u layers cannot be drawn on the map: choose one to see why",
                                                            refused), refused);
      set_status (self, text);
    }
  else
    set_status (self, NULL);
}

static void
read_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SabanServiceDialog *self = SABAN_SERVICE_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanMapService) service = saban_map_service_new (chosen_kind (self),
                                                              gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                                                              NULL, NULL, NULL, NULL, NULL, &error);
  g_autoptr(SabanTileCache) cache = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  forget_layers (self);
  if (service == NULL)
    {
      set_status (self, error->message);
      return;
    }
  set_status (self, _("Reading the service’s layers…"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "service.read", FALSE);
  cache = saban_tile_cache_new (service, NULL);
  if (typed_password (self) != NULL)
    saban_tile_cache_set_password (cache, typed_password (self));
  saban_tile_cache_read_capabilities_async (cache, self->cancellable, capabilities_read, self);
}

/* PNG keeps transparency; else JPEG; else whatever the server has. */
static const char *
pick_format (SabanServiceLayer *layer)
{
  if (layer->formats == NULL || layer->formats[0] == NULL)
    return NULL;
  for (const char *const *p = (const char *const[]) { "image/png", "image/jpeg", NULL }; *p != NULL; p++)
    if (g_strv_contains ((const char *const *) layer->formats, *p))
      return *p;
  return layer->formats[0];
}

/* The WMS layers ticked, in the server's order, with a style each (the
 * map layer draws them in one request); the WMTS layer ticked. @title:
 * their titles, as the layer list will call it. */
static SabanMapService *
make_service (SabanServiceDialog  *self,
              char               **title,
              GError             **error)
{
  SabanServiceKind kind = chosen_kind (self);
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) styles = g_strv_builder_new ();
  g_autoptr(GString) titles = g_string_new (NULL);
  g_auto(GStrv) name_list = NULL, style_list = NULL;
  g_autofree char *joined_names = NULL, *joined_styles = NULL;
  SabanServiceLayer *first = NULL;

  if (!has_capabilities (kind))
    return saban_map_service_new (kind, url, NULL, NULL, NULL, NULL, NULL, error);
  for (guint i = 0; i < self->layers->len; i++)
    {
      SabanServiceLayer *layer = g_ptr_array_index (self->layers, i);
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      if (!gtk_check_button_get_active (row_tick (row)))
        continue;
      if (layer->refusal != NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, layer->refusal);
          return NULL;
        }
      first = first != NULL ? first : layer;
      g_string_append_printf (titles, "%s%s", titles->len > 0 ? ", " : "",
                              layer->title != NULL && *layer->title != '\0' ? layer->title : layer->name);
      g_strv_builder_add (names, layer->name);
      g_strv_builder_add (styles, row_style (row, layer));
    }
  if (first == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, self->layers->len == 0 ?
                           _("Read the service’s layers first, then choose one") : _("Tick the layers to add"));
      return NULL;
    }
  name_list = g_strv_builder_end (names);
  style_list = g_strv_builder_end (styles);
  *title = g_string_free (g_steal_pointer (&titles), FALSE);
  if (kind == SABAN_SERVICE_WMTS)
    return saban_map_service_new_wmts (first->tile_template != NULL ? first->tile_template : url, first->name,
                                       style_list[0], pick_format (first), first->matrix_set,
                                       (const char * const *) first->matrices, error);
  joined_names = g_strjoinv (",", name_list);
  joined_styles = g_strjoinv (",", style_list);
  return saban_map_service_new (kind, url, joined_names, joined_styles, pick_format (first), self->version, NULL,
                                error);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SabanServiceDialog *self = SABAN_SERVICE_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autoptr(SabanMapService) service = make_service (self, &title, &error);

  if (service == NULL)
    {
      set_status (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SERVICE_CHOSEN], 0, saban_map_service_get_source (service), typed_password (self), title);
  gtk_window_close (GTK_WINDOW (self));
}

/* Enter in the address: read its layers, or add a tile address */
static void
on_url_activated (SabanServiceDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), has_capabilities (chosen_kind (self)) ? "service.read" : "service.add",
                              NULL);
}

static void
saban_service_dialog_dispose (GObject *object)
{
  SabanServiceDialog *self = SABAN_SERVICE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->layers, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->version, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), SABAN_TYPE_SERVICE_DIALOG);
  G_OBJECT_CLASS (saban_service_dialog_parent_class)->dispose (object);
}

static void
saban_service_dialog_class_init (SabanServiceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_service_dialog_dispose;

  /**
   * SabanServiceDialog::service-chosen:
   * @source: the service as saban_map_service_get_source() writes it
   * @password: (nullable): the password of the user its address names
   * @title: (nullable): the chosen layers' titles; %NULL for a tile address
   */
  signals[SERVICE_CHOSEN] = g_signal_new ("service-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING,
                                          G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-service-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanServiceDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, SabanServiceDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, SabanServiceDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, SabanServiceDialog, read_button);
  gtk_widget_class_bind_template_child (widget_class, SabanServiceDialog, layer_group);
  gtk_widget_class_install_action (widget_class, "service.read", NULL, read_action);
  gtk_widget_class_install_action (widget_class, "service.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
saban_service_dialog_init (SabanServiceDialog *self)
{
  self->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) saban_service_layer_free);
  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->kind_row, "notify::selected", G_CALLBACK (on_kind_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->url_row, "changed", G_CALLBACK (start_over), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->url_row, "entry-activated", G_CALLBACK (on_url_activated), self, G_CONNECT_SWAPPED);
}

/**
 * saban_service_dialog_new:
 *
 * Returns: (transfer full): the dialog; "service-chosen" when a layer is
 *   added
 */
GtkWidget *
saban_service_dialog_new (GtkWindow *parent)
{
  return g_object_new (SABAN_TYPE_SERVICE_DIALOG, "transient-for", parent, NULL);
}
