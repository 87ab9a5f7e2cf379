/* saban-window-actions.c: the main window's actions (win.*) and what they
 * open: a file, a server or a map service, zooming, the sidebar, searching, going to a
 * coordinate, stopping a load, the map's tools, launching a scenario (the
 * launch panel beside the map), and toasts from elsewhere (win.toast).
 */
#include "saban-window-private.h"

#include <glib/gi18n.h>

#include "saban-coordinate.h"
#include "saban-format.h"
#include "saban-catalog-window.h"
#include "saban-plan-compare-window.h"
#include "saban-print-dialog.h"
#include "saban-service-dialog.h"
#include "saban-source-dialog.h"

/* win.toast(s): a short message over the map, from whatever has one to
 * tell the user in the window they are in (a write the server refused) */
static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  saban_window_toast (SABAN_WINDOW (widget), g_variant_get_string (parameter, NULL));
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
  else if (g_str_equal (tool, "profile"))
    saban_map_view_set_tool (self->map_view, SABAN_MAP_TOOL_PROFILE);
  else
    saban_map_view_set_tool (self->map_view, SABAN_MAP_TOOL_SELECT);
  if (g_str_equal (tool, "select"))
    gtk_widget_set_visible (GTK_WIDGET (self->measure_label), FALSE);
  else
    on_measure_changed (self, 0, 0, 0);
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
add_service_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);
  GtkWidget *dialog = saban_service_dialog_new (GTK_WINDOW (self));

  g_signal_connect_object (dialog, "service-chosen", G_CALLBACK (saban_window_add_service), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
zoom_home_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  saban_window_zoom_home (SABAN_WINDOW (widget));
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
      saban_window_toast (self, error->message);
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
  saban_window_ask (dialog, entry, "go", _("_Go"), G_CALLBACK (on_go_to_response), self);
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
      saban_window_toast (self, _("Scenarios are not available: the local outbox could not be opened"));
      return FALSE;
    }
  if (self->launch == NULL)
    {
      GtkWidget *launch = saban_scenario_launch_new (self->session, self->map_view);

      self->launch = SABAN_SCENARIO_LAUNCH (launch);
      gtk_box_append (self->launch_box, launch);
      g_signal_connect_object (launch, "notify::drawing", G_CALLBACK (on_launch_drawing), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (launch, "notify::hint", G_CALLBACK (on_launch_drawing), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (launch, "closed", G_CALLBACK (on_launch_closed), self, G_CONNECT_SWAPPED);
    }
  layers = saban_layer_model_dup_vectors (self->layers);
  saban_scenario_launch_reset (self->launch, layers);
  saban_window_hide_inspector (self);
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

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (saban_print_dialog_new (GTK_WINDOW (self), self->layers, self->map_view)));
}

static void
compare_plans_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (saban_plan_compare_window_new (GTK_WINDOW (self), self->layers, self->map_view)));
}

static void
catalogue_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (saban_catalog_window_new (GTK_WINDOW (self), self->session, self->map_view)));
}

/* From a citizen's report ((lat, lon, service, title)): a 500 m circle. */
static void
launch_for_report_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SabanWindow *self = SABAN_WINDOW (widget);
  const char *service, *title;
  double lat, lon;

  g_variant_get (parameter, "(dd&s&s)", &lat, &lon, &service, &title);
  if (open_launch (self))
    saban_scenario_launch_prefill_report (self->launch, lat, lon, service, title);
}

/**
 * saban_window_class_init_actions:
 *
 * Installs the window's class actions and their shortcuts.
 */
void
saban_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.add-server", NULL, add_server_action);
  gtk_widget_class_install_action (widget_class, "win.add-service", NULL, add_service_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-home", NULL, zoom_home_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-loading", NULL, cancel_loading_action);
  gtk_widget_class_install_action (widget_class, "win.go-to", NULL, go_to_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.launch-scenario", NULL, launch_scenario_action);
  gtk_widget_class_install_action (widget_class, "win.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "win.compare-plans", NULL, compare_plans_action);
  gtk_widget_class_install_action (widget_class, "win.catalogue", NULL, catalogue_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.print", NULL);
  gtk_widget_class_install_action (widget_class, "win.launch-scenario-for-sensor", "u", launch_for_sensor_action);
  gtk_widget_class_install_action (widget_class, "win.launch-scenario-for-alert", "s", launch_for_alert_action);
  gtk_widget_class_install_action (widget_class, "win.launch-scenario-for-report", "(ddss)", launch_for_report_action);

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

/**
 * saban_window_init_actions:
 *
 * The window's stateful action (win.tool, the map's tool) and the measure
 * read-out over the map it drives.
 */
void
saban_window_init_actions (SabanWindow *self)
{
  const GActionEntry entries[] = {
    { "tool", NULL, "s", "'select'", tool_action },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  g_signal_connect_object (self->map_view, "measure-changed", G_CALLBACK (on_measure_changed), self, G_CONNECT_SWAPPED);
}
