/* saban-panel-window.c: a panel in a window of its own, to put on another
 * monitor — the map on the wall screen, the alarms beside the desk. Any
 * panel widget taking the session can be one: the table below names them
 * (a widget type with a construct-only "session" property, or a function
 * making one); the leaders' desk joins it the same way. Full screen on
 * this monitor (F11) or on the next one; the application keeps which
 * panels are open, where and how (the wall-panels setting).
 *
 * GTK 4 places no window at a position: a panel goes to a monitor by going
 * full screen on it; otherwise the window manager places it.
 */
#include "saban-panel-window.h"

#include <glib/gi18n.h>

#include "saban-alarm-centre.h"
#include "saban-map-panel.h"

struct _SabanPanelWindow
{
  AdwWindow parent_instance;

  GtkBox *content_box;
  AdwWindowTitle *window_title;

  SabanSession *session;
  char *panel;
  GtkWidget *child;
};

enum { PROP_0, PROP_SESSION, PROP_PANEL, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanPanelWindow, saban_panel_window, ADW_TYPE_WINDOW)

static const struct
{
  const char *id;
  const char *title;
  GType     (*type) (void);   /* a widget with a "session" property */
} panels[] = {
  { "map", N_("Map"), saban_map_panel_get_type },
  { "alarms", N_("Alarms"), saban_alarm_centre_get_type },
};

static int
find_panel (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (panels); i++)
    if (g_strcmp0 (panels[i].id, id) == 0)
      return (int) i;
  return -1;
}

/**
 * saban_panel_window_is_panel:
 * Returns: whether @panel names a panel a window can hold
 */
gboolean
saban_panel_window_is_panel (const char *panel)
{
  return find_panel (panel) >= 0;
}

/**
 * saban_panel_window_dup_monitor:
 * Returns: (transfer full) (nullable): the connector of the monitor
 *   @window is on ("HDMI-1"), NULL before it is shown
 */
char *
saban_panel_window_dup_monitor (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  GdkMonitor *monitor = surface != NULL ? gdk_display_get_monitor_at_surface (gtk_widget_get_display (
                                                                                GTK_WIDGET (window)), surface)
                                        : NULL;

  return monitor != NULL && gdk_monitor_get_connector (monitor) != NULL
         ? g_strdup (gdk_monitor_get_connector (monitor)) : NULL;
}

/**
 * saban_panel_window_fullscreen_on:
 * @connector: (nullable): a monitor's connector; unknown or NULL: the
 *   monitor the window is on
 *
 * Full screen on that monitor, as the arrangement says.
 */
void
saban_panel_window_fullscreen_on (GtkWindow *window, const char *connector)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (window)));

  for (guint i = 0; connector != NULL && i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr(GdkMonitor) m = g_list_model_get_item (monitors, i);

      if (g_strcmp0 (gdk_monitor_get_connector (m), connector) == 0)
        {
          gtk_window_fullscreen_on_monitor (window, m);
          return;
        }
    }
  gtk_window_fullscreen (window);
}

static void
fullscreen_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

/* to the next monitor, full screen: the wall's, then the desk's */
static void
next_monitor_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (widget));
  g_autofree char *here = saban_panel_window_dup_monitor (GTK_WINDOW (widget));
  guint n = g_list_model_get_n_items (monitors), next = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkMonitor) m = g_list_model_get_item (monitors, i);

      if (g_strcmp0 (gdk_monitor_get_connector (m), here) == 0)
        next = (i + 1) % n;
    }
  if (n > 0)
    {
      g_autoptr(GdkMonitor) m = g_list_model_get_item (monitors, next);

      gtk_window_fullscreen_on_monitor (GTK_WINDOW (widget), m);
    }
}

static void
saban_panel_window_constructed (GObject *object)
{
  SabanPanelWindow *self = SABAN_PANEL_WINDOW (object);
  int kind = find_panel (self->panel);

  G_OBJECT_CLASS (saban_panel_window_parent_class)->constructed (object);

  g_return_if_fail (kind >= 0);
  self->child = g_object_new (panels[kind].type (), "session", self->session, NULL);
  gtk_widget_set_vexpand (self->child, TRUE);
  gtk_box_append (self->content_box, self->child);
  gtk_window_set_title (GTK_WINDOW (self), _(panels[kind].title));
  adw_window_title_set_title (self->window_title, _(panels[kind].title));
  adw_window_title_set_subtitle (self->window_title, _("Sa Bàn"));
}

static void
saban_panel_window_dispose (GObject *object)
{
  SabanPanelWindow *self = SABAN_PANEL_WINDOW (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->panel, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_PANEL_WINDOW);
  G_OBJECT_CLASS (saban_panel_window_parent_class)->dispose (object);
}

static void
saban_panel_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanPanelWindow *self = SABAN_PANEL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_PANEL:
      self->panel = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_panel_window_class_init (SabanPanelWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = saban_panel_window_constructed;
  object_class->dispose = saban_panel_window_dispose;
  object_class->set_property = saban_panel_window_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* which panel: "map", "alarms" (saban_panel_window_is_panel) */
  properties[PROP_PANEL] = g_param_spec_string ("panel", NULL, NULL, NULL,
                                                G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-panel-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanPanelWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, SabanPanelWindow, window_title);
  gtk_widget_class_install_action (widget_class, "panel.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_install_action (widget_class, "panel.next-monitor", NULL, next_monitor_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "panel.fullscreen", NULL);
}

static void
saban_panel_window_init (SabanPanelWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * saban_panel_window_new:
 * @panel: which (saban_panel_window_is_panel() must say it is one)
 *
 * Returns: (transfer floating): a window holding a new @panel on @session
 */
GtkWidget *
saban_panel_window_new (GtkApplication *application, SabanSession *session, const char *panel)
{
  g_return_val_if_fail (SABAN_IS_SESSION (session), NULL);
  g_return_val_if_fail (saban_panel_window_is_panel (panel), NULL);

  return g_object_new (SABAN_TYPE_PANEL_WINDOW, "application", application, "session", session, "panel", panel, NULL);
}

/**
 * saban_panel_window_get_panel:
 * Returns: which panel it holds
 */
const char *
saban_panel_window_get_panel (SabanPanelWindow *self)
{
  g_return_val_if_fail (SABAN_IS_PANEL_WINDOW (self), NULL);
  return self->panel;
}

/**
 * saban_panel_window_get_child:
 * Returns: (transfer none): the panel
 */
GtkWidget *
saban_panel_window_get_child (SabanPanelWindow *self)
{
  g_return_val_if_fail (SABAN_IS_PANEL_WINDOW (self), NULL);
  return self->child;
}
