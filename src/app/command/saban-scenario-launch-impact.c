/* saban-scenario-launch-impact.c: what the launch panel's area holds —
 * SabanImpact over the loaded layers, the live sensors and the open citizen
 * reports (asked anonymously), computed in its worker, listed by commune,
 * land use, population, facilities and sensors; a title guessed from the
 * communes most affected.
 */
#include "saban-scenario-launch-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "saban-citizen-reports.h"
#include "saban-format.h"
#include "saban-scenario-area.h"
#include "saban-text.h"

static guint
n_affected_communes (SabanImpact *impact)
{
  guint n, affected = 0;
  const SabanImpactCommune *communes = saban_impact_get_communes (impact, &n);

  for (guint i = 0; i < n; i++)
    affected += communes[i].fraction >= MIN_COMMUNE_FRACTION;
  return affected;
}

static GtkWidget *
value_row (const char *name,
           const char *title,
           const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_set_name (label, "value");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  if (name != NULL)
    gtk_widget_set_name (row, name);
  return row;
}

static GtkWidget *
list_row (const char *name,
          const char *title,
          const char *subtitle,
          gboolean    expanded)
{
  GtkWidget *row = adw_expander_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), expanded);
  gtk_widget_set_name (row, name);
  return row;
}

static void
add_child (GtkWidget  *expander,
           const char *title,
           const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
}

static void
add_places (SabanScenarioLaunch *self,
            SabanImpactLayer     layer,
            const char          *name,
            const char          *title)
{
  guint n;
  const SabanImpactPlace *places;
  g_autofree char *count = NULL;
  GtkWidget *row;

  if (!saban_impact_has_layer (self->impact, layer))
    return;
  places = saban_impact_get_places (self->impact, layer, &n);
  count = g_strdup_printf (ngettext ("%u inside the area", "%u inside the area", n), n);
  row = list_row (name, title, count, FALSE);
  for (guint i = 0; i < n; i++)
    add_child (row, places[i].name != NULL ? places[i].name : "—", NULL);
  gtk_list_box_append (self->impact_list, row);
}

static const char *
sensor_state_name (SabanSensorState state)
{
  return state == SABAN_SENSOR_STATE_DANGER ? _("Danger") : _("Alert");
}

static void
show_impact (SabanScenarioLaunch *self)
{
  guint n_communes, n_shelters, n_nearest, n_landuse, n_sensors, n_reports;
  const SabanImpactCommune *communes = saban_impact_get_communes (self->impact, &n_communes);
  const SabanImpactPlace *shelters = saban_impact_get_places (self->impact, SABAN_IMPACT_SHELTERS, &n_shelters);
  const SabanImpactPlace *nearest = saban_impact_get_nearest_shelters (self->impact, &n_nearest);
  const SabanImpactLanduse *landuse = saban_impact_get_landuse (self->impact, &n_landuse);
  const SabanImpactSensor *sensors = saban_impact_get_sensors (self->impact, &n_sensors);
  const SabanImpactReport *reports = saban_impact_get_reports (self->impact, &n_reports);
  g_autofree char *population = saban_format_number (saban_impact_get_population_affected (self->impact), 0);
  g_autofree char *people = g_strdup_printf (_("%s people"), population);
  g_autofree char *capacity = saban_format_number (saban_impact_get_shelter_capacity (self->impact), 0);
  g_autofree char *subtitle = NULL;
  double total_ha = 0;
  guint n_affected = n_affected_communes (self->impact);
  GtkWidget *row;

  saban_scenario_launch_remove_rows (self->impact_list);
  gtk_list_box_append (self->impact_list, value_row ("impact-population", _("Population affected (estimate)"), people));

  subtitle = g_strdup_printf (ngettext ("%u commune or ward", "%u communes and wards", n_affected), n_affected);
  row = list_row ("impact-communes", _("Communes and wards"), subtitle, FALSE);
  for (guint i = 0; i < n_communes; i++)
    {
      g_autofree char *affected = saban_format_number (communes[i].population_affected, 0);
      g_autofree char *total = saban_format_number (communes[i].population, 0);
      g_autofree char *share = saban_format_number (100 * communes[i].fraction, 1);
      g_autofree char *text = g_strdup_printf (_("%s of %s people · %s%% of its area"), affected, total, share);

      if (communes[i].fraction < MIN_COMMUNE_FRACTION)
        continue;
      add_child (row, communes[i].name != NULL ? communes[i].name : communes[i].code, text);
    }
  gtk_list_box_append (self->impact_list, row);

  add_places (self, SABAN_IMPACT_HEALTH_FACILITIES, "impact-health", _("Health facilities"));
  add_places (self, SABAN_IMPACT_SCHOOLS, "impact-schools", _("Schools"));
  add_places (self, SABAN_IMPACT_POLICE_STATIONS, "impact-police", _("Police stations"));
  add_places (self, SABAN_IMPACT_FIRE_STATIONS, "impact-fire", _("Fire stations"));

  if (saban_impact_has_layer (self->impact, SABAN_IMPACT_SHELTERS))
    {
      g_clear_pointer (&subtitle, g_free);
      subtitle = g_strdup_printf (ngettext ("%u inside · capacity %s people", "%u inside · capacity %s people", n_shelters),
                                  n_shelters, capacity);
      row = list_row ("impact-shelters", _("Shelters in the area"), subtitle, FALSE);
      for (guint i = 0; i < n_shelters; i++)
        {
          g_autofree char *cap = saban_format_number (shelters[i].capacity, 0);
          g_autofree char *text = g_strdup_printf (_("capacity %s people"), cap);
          add_child (row, shelters[i].name, text);
        }
      gtk_list_box_append (self->impact_list, row);

      g_clear_pointer (&subtitle, g_free);
      subtitle = g_strdup_printf (ngettext ("%u nearest", "%u nearest", n_nearest), n_nearest);
      row = list_row ("impact-nearest-shelters", _("Nearest shelters outside"), subtitle, TRUE);
      for (guint i = 0; i < n_nearest; i++)
        {
          g_autofree char *km = saban_format_number (nearest[i].distance_m / 1000, 1);
          g_autofree char *cap = saban_format_number (nearest[i].capacity, 0);
          g_autofree char *text = g_strdup_printf (_("%s km away · capacity %s people"), km, cap);
          add_child (row, nearest[i].name, text);
        }
      gtk_list_box_append (self->impact_list, row);
    }

  if (saban_impact_has_layer (self->impact, SABAN_IMPACT_PARCELS))
    {
      g_autofree char *ha = NULL;

      for (guint i = 0; i < n_landuse; i++)
        total_ha += landuse[i].area_ha;
      ha = saban_format_number (total_ha, 1);
      g_clear_pointer (&subtitle, g_free);
      subtitle = g_strdup_printf (ngettext ("%s ha in %u parcel", "%s ha in %u parcels", saban_impact_get_n_parcels (self->impact)),
                                  ha, saban_impact_get_n_parcels (self->impact));
      row = list_row ("impact-landuse", _("Land use"), subtitle, FALSE);
      for (guint i = 0; i < n_landuse; i++)
        {
          const char *label = saban_layer_style_describe_landuse (landuse[i].code);
          g_autofree char *title = g_strdup_printf ("%s — %s", landuse[i].code, label != NULL ? label : _("unknown code"));
          g_autofree char *area = saban_format_number (landuse[i].area_ha, 1);
          g_autofree char *text = g_strdup_printf (_("%s ha"), area);
          add_child (row, title, text);
        }
      gtk_list_box_append (self->impact_list, row);
    }

  g_clear_pointer (&subtitle, g_free);
  subtitle = g_strdup_printf (ngettext ("%u sensor", "%u sensors", n_sensors), n_sensors);
  row = list_row ("impact-sensors", _("Sensors in alarm"), subtitle, n_sensors > 0);
  for (guint i = 0; i < n_sensors; i++)
    {
      g_autofree char *value = saban_format_number (sensors[i].value, 2);
      g_autofree char *text = g_strdup_printf ("%s · %s %s", sensor_state_name (sensors[i].state), value,
                                               sensors[i].unit != NULL ? sensors[i].unit : "");
      add_child (row, sensors[i].name, text);
    }
  gtk_list_box_append (self->impact_list, row);

  g_clear_pointer (&subtitle, g_free);
  subtitle = self->reports == NULL ? g_strdup (_("not fetched: the IOC server did not answer")) :
             g_strdup_printf (ngettext ("%u open report", "%u open reports", n_reports), n_reports);
  row = list_row ("impact-reports", _("Open citizen reports"), subtitle, FALSE);
  for (guint i = 0; i < n_reports; i++)
    add_child (row, reports[i].title, reports[i].id);
  gtk_list_box_append (self->impact_list, row);
}

/* What the area holds is what the user waits for: brought into view once
 * its new rows are laid out (a frame after they were added). */
static gboolean
scroll_to_impact (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       data)
{
  SabanScenarioLaunch *self = SABAN_SCENARIO_LAUNCH (widget);
  GtkWidget *content = gtk_scrolled_window_get_child (self->scroller);
  guint *frames = data;
  double x, y;

  if ((*frames)++ == 0)
    return G_SOURCE_CONTINUE;
  if (gtk_widget_translate_coordinates (GTK_WIDGET (self->impact_group), content, 0, 0, &x, &y))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), y);
  return G_SOURCE_REMOVE;
}

/* The communes most affected name the place when the user gave none. */
static void
guess_place (SabanScenarioLaunch *self)
{
  guint n;
  const SabanImpactCommune *communes = saban_impact_get_communes (self->impact, &n);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree guint *order = g_new (guint, MAX (n, 1));

  if (self->place_given)
    return;
  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && communes[order[j]].population_affected > communes[order[j - 1]].population_affected; j--)
      {
        guint t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
  for (guint i = 0; i < n; i++)
    if (communes[order[i]].name != NULL && communes[order[i]].fraction >= MIN_COMMUNE_FRACTION)
      g_ptr_array_add (names, communes[order[i]].name);
  g_free (self->place);
  self->place = saban_scenario_launch_places_text ((const char * const *) names->pdata, names->len);
  saban_scenario_launch_update_title (self);
}

static void
impact_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SabanImpact *impact = SABAN_IMPACT (source);
  g_autoptr(GError) error = NULL;
  SabanScenarioLaunch *self;

  if (!saban_impact_compute_finish (impact, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_SCENARIO_LAUNCH (user_data);
  g_clear_object (&self->impact_cancellable);
  gtk_spinner_stop (self->impact_spinner);
  g_object_notify (G_OBJECT (self), "busy");
  if (error != NULL)
    {
      saban_scenario_launch_show_message (self, error->message, TRUE);
      return;
    }
  g_debug ("impact computed in %.0f ms", (g_get_monotonic_time () - self->compute_started) / 1000.0);
  g_set_object (&self->impact, impact);
  show_impact (self);
  guess_place (self);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_impact, g_new0 (guint, 1), g_free);
}

/* The parcels' land-use field, where the user chose it (else core finds it). */
static const char *
chosen_landuse_field (SabanScenarioLaunch *self)
{
  SabanLayerModel *model = saban_session_get_layers (self->session);

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (model), i);
      SabanVectorLayer *vector = saban_layer_get_vector (layer);

      if (vector != NULL &&
          g_strcmp0 (saban_vector_layer_get_name (vector), saban_impact_layer_default_name (SABAN_IMPACT_PARCELS)) == 0 &&
          !saban_vector_layer_is_subset (vector))
        return saban_layer_get_landuse_field (layer);
    }
  return NULL;
}

void
saban_scenario_launch_compute_impact (SabanScenarioLaunch *self)
{
  g_autofree char *wkt = NULL;
  g_autoptr(SabanImpactArea) area = NULL;
  g_autoptr(SabanImpact) impact = NULL;

  if (self->area == NULL || self->layers == NULL)
    return;
  wkt = saban_scenario_area_to_wkt (self->area, NULL);
  area = wkt != NULL ? saban_impact_area_new_from_wkt (wkt, NULL) : NULL;
  if (area == NULL)
    return;
  if (self->impact_cancellable != NULL)
    g_cancellable_cancel (self->impact_cancellable);
  g_clear_object (&self->impact_cancellable);
  g_clear_object (&self->impact);
  self->impact_cancellable = g_cancellable_new ();
  impact = saban_impact_new (area, self->layers);
  saban_impact_set_landuse_field (impact, chosen_landuse_field (self));
  if (self->sensors != NULL)
    saban_impact_set_sensors (impact, self->sensors);
  if (self->reports != NULL)
    saban_impact_set_reports (impact, (const SabanImpactReport *) self->reports->data, self->reports->len);
  self->compute_started = g_get_monotonic_time ();
  gtk_spinner_start (self->impact_spinner);
  g_object_notify (G_OBJECT (self), "busy");
  saban_impact_compute_async (impact, self->impact_cancellable, impact_done, self);
}

void
saban_scenario_launch_reports_fetched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GArray *reports = saban_citizen_reports_fetch_finish (result, &error);
  SabanScenarioLaunch *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_SCENARIO_LAUNCH (user_data);
  g_clear_object (&self->reports_cancellable);
  g_object_notify (G_OBJECT (self), "busy");
  if (reports == NULL)
    {
      g_message ("%s", error->message);
      return;
    }
  g_clear_pointer (&self->reports, g_array_unref);
  self->reports = reports;
  saban_scenario_launch_compute_impact (self);
}

char *
saban_scenario_launch_impact_summary (SabanScenarioLaunch *self)
{
  guint n_shelters;
  g_autofree char *population = NULL;
  g_autofree char *capacity = NULL;

  if (self->impact == NULL)
    return NULL;
  saban_impact_get_places (self->impact, SABAN_IMPACT_SHELTERS, &n_shelters);
  population = saban_format_number (saban_impact_get_population_affected (self->impact), 0);
  capacity = saban_format_number (saban_impact_get_shelter_capacity (self->impact), 0);
  return g_strdup_printf (_("%s. About %s people affected in %u communes and wards; %u shelters inside the area (capacity %s people)."),
                          self->area_text, population, n_affected_communes (self->impact), n_shelters, capacity);
}
