/* saban-scenario-launch-area.c: the area a scenario launched from the panel
 * covers — drawn on the map (a polygon or a circle: the panel steps aside
 * meanwhile), or communes picked (their union made in a worker: GEOS takes
 * up to half a second). An area is taken only if SabanImpactArea reads
 * it; the map shows it and fits it.
 */
#include "saban-scenario-launch-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "saban-citizen-reports.h"
#include "saban-format.h"
#include "saban-scenario-area.h"
#include "saban-text.h"

/* the communes' union being made in a worker */
typedef struct
{
  SabanScenarioLaunch *self;   /* valid unless cancelled */
  char                *how;
  char                *place;
} UnionDone;

static void
fit_map (SabanScenarioLaunch *self,
         JsonNode            *area)
{
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  double box[4] = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE }, mx, my;

  if (!saban_scenario_area_to_mercator (area, xy, starts) || xy->len == 0)
    return;
  for (guint i = 0; i < xy->len / 2; i++)
    {
      box[0] = MIN (box[0], g_array_index (xy, double, 2 * i));
      box[1] = MIN (box[1], g_array_index (xy, double, 2 * i + 1));
      box[2] = MAX (box[2], g_array_index (xy, double, 2 * i));
      box[3] = MAX (box[3], g_array_index (xy, double, 2 * i + 1));
    }
  mx = (box[2] - box[0]) * ZOOM_MARGIN;
  my = (box[3] - box[1]) * ZOOM_MARGIN;
  saban_map_view_zoom_to_extent (self->map, box[0] - mx, box[1] - my, box[2] + mx, box[3] + my);
}

/* Takes @area if the impact analysis can read it; otherwise says why and
 * leaves everything as it was. */
void
saban_scenario_launch_set_area (SabanScenarioLaunch *self,
          JsonNode            *area,
          const char          *how,
          const char          *place,
          gboolean             fit)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wkt = saban_scenario_area_to_wkt (area, &error);
  g_autoptr(SabanImpactArea) check = wkt != NULL ? saban_impact_area_new_from_wkt (wkt, &error) : NULL;
  g_autofree char *km2 = NULL;
  g_autofree char *text = NULL;

  if (check == NULL)
    {
      saban_scenario_launch_show_message (self, error->message, TRUE);
      return;
    }
  saban_scenario_launch_show_message (self, NULL, FALSE);
  g_clear_pointer (&self->area, json_node_unref);
  self->area = json_node_copy (area);
  g_free (self->area_text);
  self->area_text = g_strdup (how);
  g_free (self->place);
  self->place = g_strdup (place);
  self->place_given = place != NULL;
  km2 = saban_format_number (saban_impact_area_get_area_m2 (check) / 1e6, 1);
  text = g_strdup_printf (_("%s · %s km²"), how, km2);
  gtk_label_set_text (self->area_label, text);
  saban_map_view_show_area (self->map, self->area);
  if (fit)
    fit_map (self, self->area);
  saban_scenario_launch_update_title (self);
  saban_scenario_launch_compute_impact (self);
}

static void
stop_drawing (SabanScenarioLaunch *self)
{
  saban_scenario_launch_set_drawing (self, FALSE);
  saban_scenario_launch_set_hint (self, NULL);
}

void
saban_scenario_launch_on_area_drawn (SabanScenarioLaunch *self,
               JsonNode            *area)
{
  gboolean circle = self->draw_tool == SABAN_MAP_TOOL_DRAW_CIRCLE;

  if (!self->drawing)
    return;
  stop_drawing (self);
  saban_map_view_set_tool (self->map, SABAN_MAP_TOOL_SELECT);
  saban_scenario_launch_set_area (self, area, circle ? _("Circle drawn on the map") : _("Polygon drawn on the map"), NULL, FALSE);
}

void
saban_scenario_launch_on_area_refused (SabanScenarioLaunch *self,
                 const char          *message)
{
  g_autofree char *hint = NULL;

  if (!self->drawing)
    return;
  hint = g_strdup_printf (_("%s (Backspace removes the last corner, Escape cancels)"), message);
  saban_scenario_launch_set_hint (self, hint);
}

void
saban_scenario_launch_on_area_cancelled (SabanScenarioLaunch *self)
{
  if (self->drawing)
    stop_drawing (self);
}

static void
start_drawing (SabanScenarioLaunch *self,
               SabanMapToolKind     tool)
{
  self->draw_tool = tool;
  gtk_toggle_button_set_active (self->communes_button, FALSE);
  saban_scenario_launch_show_message (self, NULL, FALSE);
  saban_scenario_launch_set_hint (self, tool == SABAN_MAP_TOOL_DRAW_CIRCLE ?
                  _("Press at the centre and drag to the radius, or click the centre then the edge; Escape cancels") :
                  _("Click the corners of the area; double-click or Enter to finish, Backspace removes the last corner, Escape cancels"));
  saban_scenario_launch_set_drawing (self, TRUE);
  saban_map_view_set_tool (self->map, tool);
}

void
saban_scenario_launch_on_draw_polygon (SabanScenarioLaunch *self)
{
  start_drawing (self, SABAN_MAP_TOOL_DRAW_POLYGON);
}

void
saban_scenario_launch_on_draw_circle (SabanScenarioLaunch *self)
{
  start_drawing (self, SABAN_MAP_TOOL_DRAW_CIRCLE);
}

gboolean
saban_scenario_launch_commune_visible (GtkListBoxRow *row,
                 gpointer       data)
{
  SabanScenarioLaunch *self = data;
  g_autofree char *query = saban_text_fold (gtk_editable_get_text (GTK_EDITABLE (self->commune_search)));
  const char *folded = g_object_get_data (G_OBJECT (row), "folded");

  return *query == '\0' || (folded != NULL && strstr (folded, query) != NULL);
}

void
saban_scenario_launch_on_commune_search (SabanScenarioLaunch *self)
{
  gtk_list_box_invalidate_filter (self->commune_list);
}

int
saban_scenario_launch_compare_commune_rows (GtkListBoxRow *a,
                      GtkListBoxRow *b,
                      gpointer       data)
{
  return g_strcmp0 (g_object_get_data (G_OBJECT (a), "key"), g_object_get_data (G_OBJECT (b), "key"));
}

void
saban_scenario_launch_rebuild_communes (SabanScenarioLaunch *self)
{
  const SabanAttributeTable *table;
  int name_field, code_field;

  saban_scenario_launch_remove_rows (self->commune_list);
  if (self->communes == NULL)
    return;
  table = saban_vector_layer_get_attributes (self->communes);
  name_field = saban_attribute_table_find_field (table, "name");
  code_field = saban_attribute_table_find_field (table, "code");
  if (name_field < 0)
    return;
  for (guint32 f = 0; f < saban_vector_layer_get_n_features (self->communes); f++)
    {
      const char *name = saban_attribute_table_get_string (table, name_field, f);
      const char *code = code_field >= 0 ? saban_attribute_table_get_string (table, code_field, f) : NULL;
      GtkWidget *check = gtk_check_button_new_with_label (name);
      GtkWidget *row = gtk_list_box_row_new ();
      g_autofree char *id = g_strdup_printf ("commune-%s", code != NULL ? code : name);

      if (name == NULL)
        continue;
      gtk_widget_set_margin_start (check, 6);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), check);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_name (row, id);
      g_object_set_data (G_OBJECT (row), "feature", GUINT_TO_POINTER (f));
      g_object_set_data (G_OBJECT (row), "check", check);
      g_object_set_data_full (G_OBJECT (row), "folded", saban_text_fold (name), g_free);
      g_object_set_data_full (G_OBJECT (row), "key", g_utf8_collate_key (name, -1), g_free);
      gtk_list_box_append (self->commune_list, row);
    }
}

static void
union_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  UnionDone *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) area = saban_scenario_area_union_finish (result, &error);
  SabanScenarioLaunch *self = done->self;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&self->union_cancellable);
      g_object_notify (G_OBJECT (self), "busy");
      if (area == NULL)
        saban_scenario_launch_show_message (self, error->message, TRUE);
      else
        {
          gtk_toggle_button_set_active (self->communes_button, FALSE);
          saban_scenario_launch_set_area (self, area, done->how, done->place, TRUE);
        }
    }
  g_free (done->how);
  g_free (done->place);
  g_free (done);
}

void
saban_scenario_launch_on_apply_communes (SabanScenarioLaunch *self)
{
  g_autoptr(GArray) features = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  UnionDone *done;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->commune_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "check");
      guint32 f;

      if (check == NULL || !gtk_check_button_get_active (check))
        continue;
      f = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "feature"));
      g_array_append_val (features, f);
      g_ptr_array_add (names, (gpointer) gtk_check_button_get_label (check));
    }
  if (self->communes == NULL)
    {
      saban_scenario_launch_show_message (self, _("The communes layer is not loaded"), TRUE);
      return;
    }
  /* GEOS's union of detailed communes is no work for the main thread */
  if (self->union_cancellable != NULL)
    g_cancellable_cancel (self->union_cancellable);
  g_clear_object (&self->union_cancellable);
  self->union_cancellable = g_cancellable_new ();
  done = g_new0 (UnionDone, 1);
  done->self = self;
  done->place = saban_scenario_launch_places_text ((const char * const *) names->pdata, names->len);
  done->how = g_strdup_printf (ngettext ("%u commune chosen", "%u communes chosen", features->len), features->len);
  saban_scenario_area_union_async (self->communes, (const guint32 *) features->data, features->len,
                                   self->union_cancellable, union_done, done);
  g_object_notify (G_OBJECT (self), "busy");
}
