/* saban-preferences-window.c: the settings users may change, bound to GSettings. */
#include "saban-preferences-window.h"

struct _SabanPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GtkSwitch *base_map_switch;
  GtkSpinButton *refresh_spin;
  AdwEntryRow *base_map_url_row;
  AdwEntryRow *base_map_file_row;
  AdwEntryRow *base_map_attribution_row;
  AdwEntryRow *server_url_row;
  AdwEntryRow *mqtt_broker_row;
  AdwEntryRow *account_row;
  AdwEntryRow *password_row;
  GtkSwitch *plain_http_switch;
  AdwEntryRow *mqtt_user_row;
  AdwEntryRow *mqtt_password_row;
  AdwEntryRow *mqtt_ca_file_row;

  GSettings *settings;
  SabanSession *session;   /* nullable: the password goes to it */
};

enum { PROP_0, PROP_SESSION, N_PROPS };

static GParamSpec *properties[N_PROPS];

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

/* An entry row applied to the string setting of the same name. */
static void
on_setting_row_applied (AdwEntryRow *row,
                        gpointer     user_data)
{
  SabanPreferencesWindow *self = user_data;
  const char *key = g_object_get_data (G_OBJECT (row), "saban-key");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  g_settings_set_string (self->settings, key, text);
}

static void
bind_setting_row (SabanPreferencesWindow *self,
                  AdwEntryRow            *row,
                  const char             *key)
{
  g_autofree char *value = g_settings_get_string (self->settings, key);

  gtk_editable_set_text (GTK_EDITABLE (row), value);
  g_object_set_data (G_OBJECT (row), "saban-key", (gpointer) key);
  g_signal_connect (row, "apply", G_CALLBACK (on_setting_row_applied), self);
}

static void
on_password_applied (SabanPreferencesWindow *self)
{
  if (self->session != NULL)
    saban_session_set_password (self->session, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
on_mqtt_password_applied (SabanPreferencesWindow *self)
{
  if (self->session != NULL)
    saban_session_keep_broker_password (self->session,
                                        gtk_editable_get_text (GTK_EDITABLE (self->mqtt_password_row)));
}

static void
saban_preferences_window_dispose (GObject *object)
{
  SabanPreferencesWindow *self = (SabanPreferencesWindow *) object;

  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (saban_preferences_window_parent_class)->dispose (object);
}

static void
saban_preferences_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanPreferencesWindow *self = SABAN_PREFERENCES_WINDOW (object);

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
saban_preferences_window_class_init (SabanPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_preferences_window_dispose;
  object_class->set_property = saban_preferences_window_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, base_map_switch);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, refresh_spin);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, base_map_url_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, base_map_file_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, base_map_attribution_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, server_url_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, mqtt_broker_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, plain_http_switch);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, mqtt_user_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, mqtt_password_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, mqtt_ca_file_row);
}

static void
saban_preferences_window_init (SabanPreferencesWindow *self)
{
  g_autofree char *url = NULL;
  g_autofree char *attribution = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (SCHEMA_ID);
  g_settings_bind (self->settings, "base-map-enabled", self->base_map_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "refresh-minutes", self->refresh_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "base-map-enabled", self->base_map_url_row, "sensitive", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "base-map-enabled", self->base_map_attribution_row, "sensitive", G_SETTINGS_BIND_GET);

  url = g_settings_get_string (self->settings, "base-map-url");
  attribution = g_settings_get_string (self->settings, "base-map-attribution");
  gtk_editable_set_text (GTK_EDITABLE (self->base_map_url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->base_map_attribution_row), attribution);
  g_signal_connect_swapped (self->base_map_url_row, "apply", G_CALLBACK (on_url_applied), self);
  g_signal_connect_swapped (self->base_map_attribution_row, "apply", G_CALLBACK (on_attribution_applied), self);

  bind_setting_row (self, self->base_map_file_row, "base-map-file");
  bind_setting_row (self, self->server_url_row, "server-url");
  bind_setting_row (self, self->mqtt_broker_row, "mqtt-broker");
  bind_setting_row (self, self->account_row, "account");
  g_signal_connect_swapped (self->password_row, "apply", G_CALLBACK (on_password_applied), self);
  g_settings_bind (self->settings, "allow-plain-http", self->plain_http_switch, "active", G_SETTINGS_BIND_DEFAULT);
  bind_setting_row (self, self->mqtt_user_row, "mqtt-user");
  bind_setting_row (self, self->mqtt_ca_file_row, "mqtt-ca-file");
  g_signal_connect_swapped (self->mqtt_password_row, "apply", G_CALLBACK (on_mqtt_password_applied), self);
}

/**
 * saban_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @session: (nullable): the session the account's password is given to
 *
 * Returns: (transfer floating): the preferences window
 */
GtkWidget *
saban_preferences_window_new (GtkWindow    *parent,
                              SabanSession *session)
{
  return g_object_new (SABAN_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       "session", session,
                       NULL);
}
