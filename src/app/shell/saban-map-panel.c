/* saban-map-panel.c: the map as a panel of its own — the session's layers
 * and live picture on a map that can go to the wall screen while the main
 * window stays on the desk. It opens on the province (the province layer,
 * else every layer), follows the dark scheme, and keeps the keyboard
 * navigation of every map.
 */
#include "saban-map-panel.h"

#include <adwaita.h>
#include <string.h>

struct _SabanMapPanel
{
  GtkWidget parent_instance;

  SabanMapView *map_view;
  SabanSession *session;
  guint home_idle;
};

enum { PROP_0, PROP_SESSION, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanMapPanel, saban_map_panel, GTK_TYPE_WIDGET)

/* the province's extent, else every layer's together */
static gboolean
zoom_home (gpointer data)
{
  SabanMapPanel *self = data;
  GListModel *layers = G_LIST_MODEL (saban_session_get_layers (self->session));
  double all[4] = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };

  self->home_idle = 0;
  for (guint i = 0; i < g_list_model_get_n_items (layers); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (layers, i);
      SabanVectorLayer *vector = saban_layer_get_vector (layer);
      double e[4];

      if (!saban_vector_layer_get_extent (vector, &e[0], &e[1], &e[2], &e[3]))
        continue;
      if (g_strcmp0 (saban_vector_layer_get_name (vector), "province") == 0)
        {
          memcpy (all, e, sizeof e);
          break;
        }
      all[0] = MIN (all[0], e[0]);
      all[1] = MIN (all[1], e[1]);
      all[2] = MAX (all[2], e[2]);
      all[3] = MAX (all[3], e[3]);
    }
  if (all[0] <= all[2])
    saban_map_view_zoom_to_extent (self->map_view, all[0], all[1], all[2], all[3]);
  return G_SOURCE_REMOVE;
}

static void
saban_map_panel_constructed (GObject *object)
{
  SabanMapPanel *self = SABAN_MAP_PANEL (object);

  G_OBJECT_CLASS (saban_map_panel_parent_class)->constructed (object);

  saban_session_show_on_map (self->session, self->map_view);
  g_object_bind_property (adw_style_manager_get_default (), "dark", self->map_view, "dark", G_BINDING_SYNC_CREATE);
  self->home_idle = g_idle_add (zoom_home, self);
}

static void
saban_map_panel_dispose (GObject *object)
{
  SabanMapPanel *self = SABAN_MAP_PANEL (object);

  g_clear_handle_id (&self->home_idle, g_source_remove);
  if (self->map_view != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->map_view));
  self->map_view = NULL;
  g_clear_object (&self->session);
  G_OBJECT_CLASS (saban_map_panel_parent_class)->dispose (object);
}

static void
saban_map_panel_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanMapPanel *self = SABAN_MAP_PANEL (object);

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
saban_map_panel_class_init (SabanMapPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = saban_map_panel_constructed;
  object_class->dispose = saban_map_panel_dispose;
  object_class->set_property = saban_map_panel_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
saban_map_panel_init (SabanMapPanel *self)
{
  self->map_view = SABAN_MAP_VIEW (saban_map_view_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->map_view), GTK_WIDGET (self));
}

/**
 * saban_map_panel_get_map_view:
 * Returns: (transfer none): its map
 */
SabanMapView *
saban_map_panel_get_map_view (SabanMapPanel *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_PANEL (self), NULL);
  return self->map_view;
}
