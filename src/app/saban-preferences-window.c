/* saban-preferences-window.c: the settings users may change, bound to GSettings. */
#include "saban-preferences-window.h"

struct _SabanPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GtkSwitch *base_map_switch;
  AdwEntryRow *base_map_url_row;
  AdwEntryRow *base_map_attribution_row;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (SabanPreferencesWindow, saban_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
on_url_applied (SabanPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "base-map-url",
                         gtk_editable_get_text (GTK_EDITABLE (self->base_map_url_row)));
}

static void
on_attribution_applied (SabanPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "base-map-attribution",
                         gtk_editable_get_text (GTK_EDITABLE (self->base_map_attribution_row)));
}

static void
saban_preferences_window_dispose (GObject *object)
{
  SabanPreferencesWindow *self = (SabanPreferencesWindow *) object;

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (saban_preferences_window_parent_class)->dispose (object);
}

static void
saban_preferences_window_class_init (SabanPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, base_map_switch);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, base_map_url_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, base_map_attribution_row);
}

static void
saban_preferences_window_init (SabanPreferencesWindow *self)
{
  g_autofree char *url = NULL;
  g_autofree char *attribution = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (SCHEMA_ID);
  g_settings_bind (self->settings, "base-map-enabled", self->base_map_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "base-map-enabled", self->base_map_url_row, "sensitive", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "base-map-enabled", self->base_map_attribution_row, "sensitive", G_SETTINGS_BIND_GET);

  url = g_settings_get_string (self->settings, "base-map-url");
  attribution = g_settings_get_string (self->settings, "base-map-attribution");
  gtk_editable_set_text (GTK_EDITABLE (self->base_map_url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->base_map_attribution_row), attribution);
  g_signal_connect_swapped (self->base_map_url_row, "apply", G_CALLBACK (on_url_applied), self);
  g_signal_connect_swapped (self->base_map_attribution_row, "apply", G_CALLBACK (on_attribution_applied), self);
}

GtkWidget *
saban_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (SABAN_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}
