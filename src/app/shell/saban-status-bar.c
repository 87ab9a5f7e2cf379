/* saban-status-bar.c: the IOC server's state (and a warning while it is
 * reached in clear across the network), pointer coordinates, scale and
 * zoom under the map.
 *
 * VN-2000 coordinates come from a PROJ transform made in a worker thread at
 * start (opening proj.db is file I/O); until it arrives only WGS 84 shows.
 */
#include "saban-status-bar.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-command-labels.h"
#include "saban-conflict-dialog.h"
#include "saban-format.h"
#include "saban-session.h"
#include "saban-transform.h"

struct _SabanStatusBar
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *connection_label;
  GtkLabel *wgs84_label;
  GtkLabel *dms_label;
  GtkLabel *vn2000_label;
  GtkLabel *elevation_label;
  GtkLabel *zoom_label;
  GtkLabel *pending_label;
  GtkLabel *cache_label;
  GtkLabel *plain_http_label;
  GtkButton *conflicts_button;
  ShumateScale *scale;

  ShumateViewport *viewport;
  SabanConnection *connection;
  SabanCommandClient *command_client;
  SabanTransform *to_vn2000;
  GCancellable *cancellable;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (SabanStatusBar, saban_status_bar, GTK_TYPE_WIDGET)

static void
make_transform (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  SabanTransform *transform;

  transform = saban_transform_new_epsg (SABAN_EPSG_WGS84, SABAN_EPSG_VN2000_TM3_10445, &error);
  if (transform == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, transform, (GDestroyNotify) saban_transform_free);
}

static void
transform_ready (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SabanStatusBar *self;
  g_autoptr(GError) error = NULL;
  SabanTransform *transform = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_STATUS_BAR (user_data);
  if (transform == NULL)
    {
      g_warning ("No VN-2000 coordinates: %s", error->message);
      return;
    }
  self->to_vn2000 = transform;
}

static void
on_zoom_changed (SabanStatusBar *self)
{
  g_autofree char *zoom = saban_format_number (shumate_viewport_get_zoom_level (self->viewport), 1);
  g_autofree char *text = g_strdup_printf (_("Zoom %s"), zoom);

  gtk_label_set_label (self->zoom_label, text);
}

static void
on_connection_changed (SabanStatusBar *self)
{
  SabanConnection *c = self->connection;
  g_autofree char *error = saban_connection_describe_error (c);
  g_autofree char *text = NULL, *tooltip = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->connection_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->connection_label), "error");
  if (!saban_connection_get_checked (c))
    text = g_strdup (_("Server: checking…"));
  else if (saban_connection_get_connected (c))
    {
      text = g_strdup (saban_connection_get_signed_in (c) ? _("Server: connected, signed in") : _("Server: connected"));
      gtk_widget_add_css_class (GTK_WIDGET (self->connection_label), "success");
    }
  else
    {
      text = g_strdup (_("Server: not connected"));
      gtk_widget_add_css_class (GTK_WIDGET (self->connection_label), "error");
    }
  /* what to do, in the user's words; the raw detail went to the log */
  tooltip = error != NULL ? g_strdup_printf (_("IOC server %s — %s"), saban_connection_get_server_url (c), error)
                          : g_strdup_printf (_("IOC server %s"), saban_connection_get_server_url (c));
  gtk_label_set_label (self->connection_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->connection_label), tooltip);
}

/* what the outbox still holds: never silent, even when all goes well */
static void
on_pending_changed (SabanStatusBar *self)
{
  guint n = saban_command_client_get_pending (self->command_client);
  g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u change waiting to be sent",
                                                        "%u changes waiting to be sent", n), n);

  gtk_label_set_label (self->pending_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_label), n > 0);
}

/* scenarios shown as an earlier run cached them, until the server is read */
static void
on_from_cache_changed (SabanStatusBar *self)
{
  GDateTime *at = saban_command_client_get_cached_at (self->command_client);
  g_autofree char *when = saban_command_label_time (at ? g_date_time_to_unix (at) * G_USEC_PER_SEC : 0);
  g_autofree char *text = g_strdup_printf (_("Data saved at %s — waiting for the server"), when);

  gtk_label_set_label (self->cache_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->cache_label), saban_command_client_get_from_cache (self->command_client));
}

static void
on_conflicts_changed (SabanStatusBar *self)
{
  guint n = g_list_model_get_n_items (saban_command_client_get_conflicts (self->command_client));
  g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u conflict to resolve", "%u conflicts to resolve", n),
                                           n);

  gtk_button_set_label (self->conflicts_button, text);
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), n > 0);
}

static gboolean
conflict_shown (SabanCommandConflict *conflict)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (SABAN_IS_CONFLICT_DIALOG (w) && saban_conflict_dialog_get_conflict (SABAN_CONFLICT_DIALOG (w)) == conflict)
        return TRUE;
    }
  return FALSE;
}

/* the conflicts the user put off come back when asked for */
static void
on_conflicts_clicked (SabanStatusBar *self)
{
  GListModel *conflicts = saban_command_client_get_conflicts (self->command_client);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  for (guint i = 0; i < g_list_model_get_n_items (conflicts); i++)
    {
      g_autoptr(SabanCommandConflict) conflict = g_list_model_get_item (conflicts, i);

      if (!conflict_shown (conflict))
        gtk_window_present (GTK_WINDOW (saban_conflict_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                   self->command_client, conflict)));
    }
}

static void
saban_status_bar_dispose (GObject *object)
{
  SabanStatusBar *self = (SabanStatusBar *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->to_vn2000, saban_transform_free);
  g_clear_object (&self->viewport);
  g_clear_object (&self->connection);
  g_clear_object (&self->command_client);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_STATUS_BAR);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (saban_status_bar_parent_class)->dispose (object);
}

static void
saban_status_bar_class_init (SabanStatusBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_status_bar_dispose;

  g_type_ensure (SHUMATE_TYPE_SCALE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-status-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, box);
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, connection_label);
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, wgs84_label);
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, dms_label);
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, vn2000_label);
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, elevation_label);
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, pending_label);
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, cache_label);
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, plain_http_label);
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, conflicts_button);
  gtk_widget_class_bind_template_child (widget_class, SabanStatusBar, scale);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
saban_status_bar_init (SabanStatusBar *self)
{
  g_autoptr(GTask) task = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  saban_status_bar_clear_pointer (self);
  /* read from across the room, large type: the decimal degrees say the
   * same as the DMS, which would not fit beside them on a 1366 px wall */
  self->settings = g_settings_new (SCHEMA_ID);
  g_settings_bind (self->settings, "wall-mode", self->dms_label, "visible",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_INVERT_BOOLEAN);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, transform_ready, self);
  g_task_run_in_thread (task, make_transform);
}

/**
 * saban_status_bar_set_session:
 * @session: the session whose server and outbox it shows (once)
 *
 * A local session (no server) shows no server state.
 */
void
saban_status_bar_set_session (SabanStatusBar *self,
                              SabanSession   *session)
{
  g_return_if_fail (SABAN_IS_STATUS_BAR (self));
  g_return_if_fail (self->connection == NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->connection_label), saban_session_get_has_server (session));
  if (!saban_session_get_has_server (session))
    return;
  self->connection = g_object_ref (saban_session_get_connection (session));
  g_signal_connect_object (self->connection, "notify", G_CALLBACK (on_connection_changed), self, G_CONNECT_SWAPPED);
  /* for as long as the user lets requests go in clear across the network */
  g_object_bind_property (saban_session_get_api (session), "plain-http", self->plain_http_label, "visible",
                          G_BINDING_SYNC_CREATE);
  on_connection_changed (self);
  if (saban_session_get_command_client (session) == NULL)
    return;
  self->command_client = g_object_ref (saban_session_get_command_client (session));
  g_signal_connect_object (self->command_client, "notify::pending", G_CALLBACK (on_pending_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->command_client, "notify::from-cache", G_CALLBACK (on_from_cache_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (saban_command_client_get_conflicts (self->command_client), "items-changed",
                           G_CALLBACK (on_conflicts_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->conflicts_button, "clicked", G_CALLBACK (on_conflicts_clicked), self);
  on_pending_changed (self);
  on_from_cache_changed (self);
  on_conflicts_changed (self);
}

/**
 * saban_status_bar_set_viewport:
 *
 * Follows @viewport's zoom and scale.
 */
void
saban_status_bar_set_viewport (SabanStatusBar  *self,
                               ShumateViewport *viewport)
{
  g_return_if_fail (SABAN_IS_STATUS_BAR (self));

  g_set_object (&self->viewport, viewport);
  shumate_scale_set_viewport (self->scale, viewport);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (on_zoom_changed),
                           self, G_CONNECT_SWAPPED);
  on_zoom_changed (self);
}

/**
 * saban_status_bar_set_pointer:
 *
 * Shows the WGS 84 position under the pointer and its VN-2000 TM-3 coordinates.
 */
void
saban_status_bar_set_pointer (SabanStatusBar *self,
                              double          latitude,
                              double          longitude)
{
  g_autofree char *degrees = saban_format_degrees (latitude, longitude);
  g_autofree char *dms = saban_format_dms (latitude, longitude);

  g_return_if_fail (SABAN_IS_STATUS_BAR (self));

  gtk_label_set_label (self->wgs84_label, degrees);
  gtk_label_set_label (self->dms_label, dms);
  if (self->to_vn2000 != NULL)
    {
      double xy[2] = { longitude, latitude };
      g_autofree char *vn2000 = NULL;

      if (saban_transform_points (self->to_vn2000, xy, 1))
        {
          g_autofree char *plane = saban_format_vn2000 (xy[0], xy[1]);
          vn2000 = g_strdup_printf ("VN-2000 · %s", plane);
        }
      gtk_label_set_label (self->vn2000_label, vn2000 != NULL ? vn2000 : "");
    }
}

/**
 * saban_status_bar_clear_pointer:
 *
 * Says the pointer is off the map.
 */
void
saban_status_bar_clear_pointer (SabanStatusBar *self)
{
  g_return_if_fail (SABAN_IS_STATUS_BAR (self));

  gtk_label_set_label (self->wgs84_label, _("Move the pointer over the map to read coordinates"));
  gtk_label_set_label (self->dms_label, "");
  gtk_label_set_label (self->vn2000_label, "");
  gtk_label_set_label (self->elevation_label, "");
}

/**
 * saban_status_bar_set_elevation:
 * @metres: the elevation under the pointer, or NAN for none
 */
void
saban_status_bar_set_elevation (SabanStatusBar *self,
                                double          metres)
{
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (SABAN_IS_STATUS_BAR (self));

  if (!isnan (metres))
    {
      number = saban_format_number (metres, 1);
      /* TRANSLATORS: the elevation under the pointer, "Độ cao 1.234,5 m" */
      text = g_strdup_printf (_("Elevation %s m"), number);
    }
  gtk_label_set_label (self->elevation_label, text != NULL ? text : "");
}
