/* saban-preferences-window.c: the settings users may change, bound to
 * GSettings, and above them the connection in use: the server, broker and
 * account the session actually talks to (the environment may choose them
 * instead of the settings), with sign in and sign out. */
#include "saban-preferences-window.h"

#include <glib/gi18n.h>

#include "saban-command-labels.h"

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
  GtkSwitch *plain_http_switch;
  AdwEntryRow *mqtt_user_row;
  AdwEntryRow *mqtt_password_row;
  AdwEntryRow *mqtt_ca_file_row;
  AdwComboRow *renderer_row;
  AdwPreferencesGroup *in_use_group;
  AdwPreferencesGroup *settings_group;
  AdwActionRow *in_use_server_row;
  AdwActionRow *in_use_broker_row;
  AdwActionRow *in_use_account_row;
  AdwActionRow *in_use_state_row;
  GtkWidget *sign_in_button;
  GtkWidget *sign_out_button;

  GSettings *settings;
  SabanSession *session;   /* nullable: the connection in use is its */
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

/* what the session talks to now, which the settings below may not say */
static void
show_in_use (SabanPreferencesWindow *self)
{
  SabanConnection *c = self->session != NULL ? saban_session_get_connection (self->session) : NULL;
  const char *user = c != NULL ? saban_connection_get_user (c) : NULL;
  const char *role = saban_command_label_role (c != NULL ? saban_connection_get_role (c) : NULL);
  g_autofree char *who = NULL, *why = NULL, *state = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->in_use_group), c != NULL);
  if (c == NULL)
    return;
  adw_action_row_set_subtitle (self->in_use_server_row, saban_connection_get_server_url (c));
  adw_action_row_set_subtitle (self->in_use_broker_row, saban_session_get_broker (self->session));
  if (user != NULL)
    who = g_strdup_printf ("%s · %s", user, role != NULL ? role : _("role not known"));
  else
    who = g_strdup (_("Not signed in"));
  adw_action_row_set_subtitle (self->in_use_account_row, who);
  gtk_widget_set_visible (self->sign_in_button, !saban_connection_get_signed_in (c));
  gtk_widget_set_visible (self->sign_out_button, saban_connection_get_signed_in (c));
  why = saban_connection_describe_error (c);
  state = g_strdup (!saban_connection_get_checked (c) ? _("Checking…")
                    : !saban_connection_get_connected (c) ? _("Not connected")
                    : saban_connection_get_signed_in (c) ? _("Connected, signed in") : _("Connected, not signed in"));
  if (why != NULL)
    {
      g_autofree char *both = g_strdup_printf ("%s. %s", state, why);
      g_free (state);
      state = g_steal_pointer (&both);
    }
  adw_action_row_set_subtitle (self->in_use_state_row, state);
  adw_preferences_group_set_description (self->in_use_group,
                                         saban_session_get_from_environment (self->session)
                                         ? _("This session's server or account was chosen by the environment "
                                             "(SABAN_SERVER_URL, SABAN_MQTT_BROKER, SABAN_ACCOUNT), not by the settings "
                                             "below, which apply when Sa Bàn starts without them.")
                                         : NULL);
}

/* the renderer row's entries, in the order of its model */
static const char *const renderers[] = { "auto", "gl", "cairo" };

static gboolean
renderer_to_row (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char *name = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (renderers); i++)
    if (g_str_equal (name, renderers[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
row_to_renderer (const GValue       *value,
                 const GVariantType *type,
                 gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (renderers) ? g_variant_new_string (renderers[i]) : NULL;
}

/* the renderer this run draws with (main.c chose it at start), which the
 * setting changes only at the next start */
static void
show_renderer_in_use (SabanPreferencesWindow *self)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  g_autofree char *subtitle = NULL;

  if (renderer == NULL)
    return;
  subtitle = g_strdup_printf (_("In use now: %s"), GSK_IS_CAIRO_RENDERER (renderer) ? _("processor (cairo)")
                                                                                    : _("graphics card (OpenGL)"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->renderer_row), subtitle);
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
saban_preferences_window_constructed (GObject *object)
{
  SabanPreferencesWindow *self = SABAN_PREFERENCES_WINDOW (object);
  SabanConnection *c = self->session != NULL ? saban_session_get_connection (self->session) : NULL;

  G_OBJECT_CLASS (saban_preferences_window_parent_class)->constructed (object);

  if (c != NULL)
    g_signal_connect_object (c, "notify", G_CALLBACK (show_in_use), self, G_CONNECT_SWAPPED);
  show_in_use (self);
}

static void
saban_preferences_window_class_init (SabanPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_preferences_window_dispose;
  object_class->constructed = saban_preferences_window_constructed;
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
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, plain_http_switch);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, mqtt_user_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, mqtt_password_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, mqtt_ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, renderer_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, in_use_group);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, settings_group);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, in_use_server_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, in_use_broker_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, in_use_account_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, in_use_state_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SabanPreferencesWindow, sign_out_button);
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
  g_settings_bind (self->settings, "allow-plain-http", self->plain_http_switch, "active", G_SETTINGS_BIND_DEFAULT);
  bind_setting_row (self, self->mqtt_user_row, "mqtt-user");
  bind_setting_row (self, self->mqtt_ca_file_row, "mqtt-ca-file");
  g_signal_connect_swapped (self->mqtt_password_row, "apply", G_CALLBACK (on_mqtt_password_applied), self);
  g_settings_bind_with_mapping (self->settings, "renderer", self->renderer_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                renderer_to_row, row_to_renderer, NULL, NULL);
  g_signal_connect_after (self, "realize", G_CALLBACK (show_renderer_in_use), NULL);
}

/**
 * saban_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @session: (nullable): the session whose connection in use it shows
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
