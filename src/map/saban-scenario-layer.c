/* saban-scenario-layer.c: the scenarios under way on the map — each one's
 * area outlined over a translucent fill in its severity's colour (dashed
 * while a draft or suspended), its title, and its tasks that have a place,
 * as dots in their state's colour (with their titles from zoom 13). A closed scenario being replayed is
 * shown as it stood at the replay's time: its area in its status then, its
 * tasks that existed then in their state then.
 *
 * A province runs a handful of scenarios at once, so they are drawn in
 * snapshot() like the sensors: each area is projected to Mercator once per
 * version of its item, then one affine transform per frame.
 */
#include "saban-scenario-layer.h"

#include <math.h>

#include "saban-map-transform.h"
#include "saban-measure.h"
#include "saban-scenario-area.h"

#define LABEL_ZOOM 9
#define TASK_LABEL_ZOOM 13
#define TASK_RADIUS 7

typedef struct
{
  GArray *xy;          /* double, Mercator */
  GArray *starts;      /* guint32 */
  double  box[4];
} Shape;

struct _SabanScenarioLayer
{
  ShumateLayer       parent_instance;
  SabanCommandStore *store;
  GListModel        *scenarios;   /* draft, active, suspended */
  GListModel        *tasks;
  GHashTable        *shapes;      /* SabanCommandItem → Shape */
  SabanCommandItem   *replayed;    /* the scenario replayed, or NULL */
  SabanCommandReplay *replay;      /* owns the strings below */
  const char         *replayed_status;
  GHashTable         *replayed_tasks; /* task id → status at the replay's time */
  guint              n_drawn;
  guint              n_tasks_drawn;
};

G_DEFINE_FINAL_TYPE (SabanScenarioLayer, saban_scenario_layer, SHUMATE_TYPE_LAYER)

static void
shape_free (gpointer data)
{
  Shape *shape = data;

  g_array_unref (shape->xy);
  g_array_unref (shape->starts);
  g_free (shape);
}

static Shape *
shape_for (SabanScenarioLayer *self,
           SabanCommandItem   *item)
{
  Shape *shape = g_hash_table_lookup (self->shapes, item);

  if (shape != NULL)
    return shape;
  shape = g_new0 (Shape, 1);
  shape->xy = g_array_new (FALSE, FALSE, sizeof (double));
  shape->starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  saban_scenario_area_to_mercator (saban_command_item_get_geometry (item), shape->xy, shape->starts);
  shape->box[0] = shape->box[1] = G_MAXDOUBLE;
  shape->box[2] = shape->box[3] = -G_MAXDOUBLE;
  for (guint i = 0; i < shape->xy->len / 2; i++)
    {
      double x = g_array_index (shape->xy, double, 2 * i), y = g_array_index (shape->xy, double, 2 * i + 1);

      shape->box[0] = MIN (shape->box[0], x);
      shape->box[1] = MIN (shape->box[1], y);
      shape->box[2] = MAX (shape->box[2], x);
      shape->box[3] = MAX (shape->box[3], y);
    }
  g_hash_table_insert (self->shapes, g_object_ref (item), shape);
  return shape;
}

/* CAP 1.2 severities, the colours of Vietnam's disaster risk levels. */
static void
severity_colour (const char *severity,
                 GdkRGBA    *colour)
{
  const char *spec = g_strcmp0 (severity, "Extreme") == 0 ? "#a51d2d" :
                     g_strcmp0 (severity, "Severe") == 0 ? "#e01b24" :
                     g_strcmp0 (severity, "Moderate") == 0 ? "#ff7800" :
                     g_strcmp0 (severity, "Minor") == 0 ? "#e5a50a" : "#813d9c";

  gdk_rgba_parse (colour, spec);
}

static void
task_colour (const char *status,
             GdkRGBA    *colour)
{
  const char *spec = g_strcmp0 (status, "completed") == 0 ? "#26a269" :
                     g_strcmp0 (status, "failed") == 0 ? "#c01c28" :
                     g_strcmp0 (status, "in_progress") == 0 ? "#ff7800" :
                     g_strcmp0 (status, "paused") == 0 ? "#e5a50a" :
                     g_strcmp0 (status, "assigned") == 0 || g_strcmp0 (status, "accepted") == 0 ? "#1c71d8" :
                     g_strcmp0 (status, "cancelled") == 0 ? "#5e5c64" : "#9a9996";

  gdk_rgba_parse (colour, spec);
}

static void
draw_label (cairo_t     *cr,
            PangoLayout *layout,
            const char  *text,
            double       x,
            double       y)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w / 2.0, y - h / 2.0);
  pango_cairo_layout_path (cr, layout);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, 3);
  cairo_stroke (cr);
  cairo_move_to (cr, x - w / 2.0, y - h / 2.0);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_scenario (SabanScenarioLayer *self,
               cairo_t            *cr,
               PangoLayout        *layout,
               const SabanMapTransform    *t,
               SabanCommandItem   *item,
               const char         *status,
               int                 width,
               int                 height,
               gboolean            labels)
{
  Shape *shape = shape_for (self, item);
  gboolean settled = g_strcmp0 (status, "active") == 0;
  double x0, y0, x1, y1;
  GdkRGBA colour;

  if (shape->starts->len == 0)
    return;
  saban_map_transform_apply (t, shape->box[0], shape->box[1], &x0, &y0);
  saban_map_transform_apply (t, shape->box[2], shape->box[3], &x1, &y1);
  if (MAX (x0, x1) < 0 || MIN (x0, x1) > width || MAX (y0, y1) < 0 || MIN (y0, y1) > height)
    return;

  self->n_drawn++;
  for (guint r = 0; r < shape->starts->len; r++)
    {
      guint32 start = g_array_index (shape->starts, guint32, r);
      guint32 end = r + 1 < shape->starts->len ? g_array_index (shape->starts, guint32, r + 1) : shape->xy->len / 2;

      for (guint32 p = start; p < end; p++)
        {
          double x, y;

          saban_map_transform_apply (t, g_array_index (shape->xy, double, 2 * p), g_array_index (shape->xy, double, 2 * p + 1), &x, &y);
          if (p == start)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_close_path (cr);
    }
  severity_colour (saban_command_item_get_string (item, "severity"), &colour);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_source_rgba (cr, colour.red, colour.green, colour.blue, settled ? 0.22 : 0.10);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
  cairo_set_line_width (cr, 5);
  cairo_stroke_preserve (cr);
  gdk_cairo_set_source_rgba (cr, &colour);
  cairo_set_line_width (cr, 2.5);
  /* not (or no longer) under way: dashed */
  if (!settled)
    cairo_set_dash (cr, (const double[]) { 10, 6 }, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  if (labels && saban_command_item_get_title (item) != NULL)
    draw_label (cr, layout, saban_command_item_get_title (item), (x0 + x1) / 2, MIN (y0, y1) + 14);
}

static void
draw_task (SabanScenarioLayer *self,
           cairo_t            *cr,
           PangoLayout        *layout,
           const SabanMapTransform    *t,
           SabanCommandItem   *task,
           const char         *status,
           int                 width,
           int                 height,
           gboolean            label)
{
  double lon, lat, mx, my, x, y;
  GdkRGBA colour;

  if (!saban_command_item_get_point (task, &lon, &lat))
    return;
  saban_lonlat_to_mercator (lon, lat, &mx, &my);
  saban_map_transform_apply (t, mx, my, &x, &y);
  if (!isfinite (x) || !isfinite (y) || x < -TASK_RADIUS || y < -TASK_RADIUS ||
      x > width + TASK_RADIUS || y > height + TASK_RADIUS)
    return;
  self->n_tasks_drawn++;
  task_colour (status, &colour);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x, y, TASK_RADIUS, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, &colour);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  /* a finished task carries a tick */
  if (g_strcmp0 (status, "completed") == 0)
    {
      cairo_move_to (cr, x - 3, y);
      cairo_line_to (cr, x - 1, y + 2.5);
      cairo_line_to (cr, x + 3, y - 2.5);
      cairo_stroke (cr);
    }
  /* close in, its title beside it */
  if (label && saban_command_item_get_title (task) != NULL)
    {
      int w, h;

      pango_layout_set_text (layout, saban_command_item_get_title (task), -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      draw_label (cr, layout, saban_command_item_get_title (task), x + TASK_RADIUS + 4 + w / 2.0, y);
    }
}

static gboolean
shown_scenario (SabanScenarioLayer *self,
                gint64              id)
{
  for (guint i = 0; i < g_list_model_get_n_items (self->scenarios); i++)
    {
      g_autoptr(SabanCommandItem) item = g_list_model_get_item (self->scenarios, i);

      if (saban_command_item_get_id (item) == id)
        return TRUE;
    }
  return FALSE;
}

static void
saban_scenario_layer_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  SabanScenarioLayer *self = SABAN_SCENARIO_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  gboolean labels = shumate_viewport_get_zoom_level (viewport) >= LABEL_ZOOM;
  gboolean task_labels = shumate_viewport_get_zoom_level (viewport) >= TASK_LABEL_ZOOM;
  g_autoptr(PangoLayout) layout = NULL;
  PangoFontDescription *font;
  SabanMapTransform t;
  cairo_t *cr;

  self->n_drawn = self->n_tasks_drawn = 0;
  if (self->store == NULL || width <= 0 || height <= 0 ||
      (g_list_model_get_n_items (self->scenarios) == 0 && self->replayed == NULL))
    return;

  if (!saban_map_transform_init (&t, viewport, widget))
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  layout = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string ("Sans Bold 10");
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  for (guint i = 0; i < g_list_model_get_n_items (self->scenarios); i++)
    {
      g_autoptr(SabanCommandItem) item = g_list_model_get_item (self->scenarios, i);

      draw_scenario (self, cr, layout, &t, item, saban_command_item_get_status (item), width, height, labels);
    }
  if (self->replayed != NULL && self->replayed_status != NULL)
    draw_scenario (self, cr, layout, &t, self->replayed, self->replayed_status, width, height, labels);
  for (guint i = 0; i < g_list_model_get_n_items (self->tasks); i++)
    {
      g_autoptr(SabanCommandItem) task = g_list_model_get_item (self->tasks, i);
      gint64 scenario = saban_command_item_get_scenario_id (task);
      gint64 id = saban_command_item_get_id (task);
      const char *then;

      if (self->replayed != NULL && scenario == saban_command_item_get_id (self->replayed))
        {
          if ((then = g_hash_table_lookup (self->replayed_tasks, &id)) != NULL)
            draw_task (self, cr, layout, &t, task, then, width, height, task_labels);
        }
      else if (shown_scenario (self, scenario))
        draw_task (self, cr, layout, &t, task, saban_command_item_get_status (task), width, height, task_labels);
    }
  cairo_destroy (cr);
}

static void
on_item_changed (SabanScenarioLayer *self,
                 SabanCommandItem   *item)
{
  g_hash_table_remove (self->shapes, item);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
saban_scenario_layer_constructed (GObject *object)
{
  SabanScenarioLayer *self = SABAN_SCENARIO_LAYER (object);

  G_OBJECT_CLASS (saban_scenario_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

static void
stop_replay (SabanScenarioLayer *self)
{
  g_clear_pointer (&self->replayed_tasks, g_hash_table_unref);
  self->replayed_status = NULL;
  g_clear_object (&self->replay);
  g_clear_object (&self->replayed);
}

static void
disconnect_store (SabanScenarioLayer *self)
{
  stop_replay (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_hash_table_remove_all (self->shapes);
  g_clear_object (&self->scenarios);
  g_clear_object (&self->tasks);
  g_clear_object (&self->store);
}

static void
saban_scenario_layer_dispose (GObject *object)
{
  SabanScenarioLayer *self = SABAN_SCENARIO_LAYER (object);

  disconnect_store (self);
  G_OBJECT_CLASS (saban_scenario_layer_parent_class)->dispose (object);
}

static void
saban_scenario_layer_finalize (GObject *object)
{
  g_hash_table_unref (SABAN_SCENARIO_LAYER (object)->shapes);
  G_OBJECT_CLASS (saban_scenario_layer_parent_class)->finalize (object);
}

static void
saban_scenario_layer_class_init (SabanScenarioLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = saban_scenario_layer_constructed;
  object_class->dispose = saban_scenario_layer_dispose;
  object_class->finalize = saban_scenario_layer_finalize;
  widget_class->snapshot = saban_scenario_layer_snapshot;
}

static void
saban_scenario_layer_init (SabanScenarioLayer *self)
{
  self->shapes = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, shape_free);
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

SabanScenarioLayer *
saban_scenario_layer_new (ShumateViewport *viewport)
{
  return g_object_new (SABAN_TYPE_SCENARIO_LAYER, "viewport", viewport, NULL);
}

/**
 * saban_scenario_layer_set_store:
 * @store: (nullable): the Command API model whose scenarios to show
 *
 * Shows the scenarios that are drafts, active or suspended, and their tasks.
 */
void
saban_scenario_layer_set_store (SabanScenarioLayer *self,
                                SabanCommandStore  *store)
{
  static const char * const open[] = { "draft", "active", "suspended", NULL };

  g_return_if_fail (SABAN_IS_SCENARIO_LAYER (self));

  disconnect_store (self);
  if (store != NULL)
    {
      self->store = g_object_ref (store);
      self->scenarios = saban_command_store_list (store, SABAN_COMMAND_SCENARIOS, 0, open);
      self->tasks = saban_command_store_list (store, SABAN_COMMAND_TASKS, 0, NULL);
      g_signal_connect_swapped (store, "item-changed", G_CALLBACK (on_item_changed), self);
      g_signal_connect_swapped (store, "item-removed", G_CALLBACK (on_item_changed), self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_scenario_layer_show_replay:
 * @scenario: (nullable): a scenario of the store, or NULL to stop
 * @replay: (nullable): its history
 * @t: (nullable): the time shown
 *
 * Shows @scenario (whatever its status now) as it stood at @t: its area in
 * its status then, its tasks that existed then in their state then. Nothing
 * of it is drawn before it existed.
 */
void
saban_scenario_layer_show_replay (SabanScenarioLayer *self,
                                  SabanCommandItem   *scenario,
                                  SabanCommandReplay *replay,
                                  GDateTime          *t)
{
  g_return_if_fail (SABAN_IS_SCENARIO_LAYER (self));
  g_return_if_fail (scenario == NULL || (replay != NULL && t != NULL));

  stop_replay (self);
  if (scenario != NULL)
    {
      self->replayed = g_object_ref (scenario);
      self->replay = g_object_ref (replay);
      self->replayed_status = saban_command_replay_scenario_status_at (replay, t);
      self->replayed_tasks = saban_command_replay_tasks_at (replay, t);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_scenario_layer_get_n_drawn:
 * @n_tasks: (out) (optional): tasks drawn in the last frame
 *
 * Returns: the scenario areas drawn in the last frame (for tests)
 */
guint
saban_scenario_layer_get_n_drawn (SabanScenarioLayer *self,
                                  guint              *n_tasks)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_LAYER (self), 0);
  if (n_tasks != NULL)
    *n_tasks = self->n_tasks_drawn;
  return self->n_drawn;
}
