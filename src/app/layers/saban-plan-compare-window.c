/* saban-plan-compare-window.c: the planner's first question — where is land
 * used otherwise than planned? Two layers of the map are compared: a plan
 * and the parcels as they are used, or two versions of a plan. A swipe
 * divider shows one over the other on the main map; the conflict check
 * (core's SabanLanduseConflict, in a worker) lists the area of each pair of
 * land-use codes and can show or export the parcels concerned.
 *
 * Each layer's land-use field is the one whose values are codes of Circular
 * 08/2024; where none is, the user picks one, and the layer keeps it
 * (SabanLayer:landuse-field, saved with the workspace). */
#include "saban-plan-compare-window.h"

#include <glib/gi18n.h>

#include "saban-export-dialog.h"
#include "saban-format.h"
#include "saban-highlight.h"
#include "saban-landuse-conflict.h"
#include "saban-landuse.h"

struct _SabanPlanCompareWindow
{
  AdwWindow parent_instance;

  AdwComboRow *plan_row;
  AdwComboRow *plan_field_row;
  AdwComboRow *current_row;
  AdwComboRow *current_field_row;
  GtkSwitch *swipe_switch;
  GtkScale *swipe_scale;
  GtkWidget *check_button;
  GtkProgressBar *progress_bar;
  GtkLabel *summary_label;
  GtkListBox *pair_list;

  SabanLayerModel *layers;
  SabanMapView *view;
  GPtrArray *polygons;            /* SabanLayer: the layers that can be compared */
  SabanLanduseConflict *result;   /* the last check, or NULL */
  GCancellable *cancellable;
  gboolean updating;              /* rows being filled: no user choice */
};

G_DEFINE_FINAL_TYPE (SabanPlanCompareWindow, saban_plan_compare_window, ADW_TYPE_WINDOW)

static SabanLayer *
chosen_layer (AdwComboRow *row,
              GPtrArray   *polygons)
{
  guint selected = adw_combo_row_get_selected (row);

  return selected < polygons->len ? g_ptr_array_index (polygons, selected) : NULL;
}

static char *
chosen_field (AdwComboRow *row)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  return item != NULL ? g_strdup (gtk_string_object_get_string (item)) : NULL;
}

/* The string fields of @layer, the land-use one selected: the user's
 * choice, else the one found by its values. */
static void
fill_fields (SabanPlanCompareWindow *self,
             AdwComboRow            *row,
             SabanLayer             *layer)
{
  g_autoptr(GtkStringList) fields = gtk_string_list_new (NULL);
  const SabanAttributeTable *t;
  int wanted = -1;
  guint position = 0, selected = 0;

  self->updating = TRUE;
  if (layer != NULL)
    {
      t = saban_vector_layer_get_attributes (saban_layer_get_vector (layer));
      wanted = saban_layer_get_landuse_field (layer) != NULL
               ? saban_attribute_table_find_field (t, saban_layer_get_landuse_field (layer))
               : saban_landuse_find_field (t, NULL);
      for (guint f = 0; f < saban_attribute_table_get_n_fields (t); f++)
        if (saban_attribute_table_get_field_type (t, f) == SABAN_FIELD_STRING)
          {
            if ((int) f == wanted)
              selected = position;
            gtk_string_list_append (fields, saban_attribute_table_get_field_name (t, f));
            position++;
          }
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (fields));
  adw_combo_row_set_selected (row, selected);
  self->updating = FALSE;
}

/* The user picked a field: the layer keeps it, unless it is the one found. */
static void
on_field_chosen (SabanPlanCompareWindow *self,
                 GParamSpec             *pspec,
                 AdwComboRow            *row)
{
  SabanLayer *layer = chosen_layer (row == self->plan_field_row ? self->plan_row : self->current_row, self->polygons);
  g_autofree char *field = chosen_field (row);
  const SabanAttributeTable *t;
  int found;

  if (self->updating || layer == NULL || field == NULL)
    return;
  t = saban_vector_layer_get_attributes (saban_layer_get_vector (layer));
  found = saban_landuse_find_field (t, NULL);
  saban_layer_set_landuse_field (layer, found >= 0 && g_str_equal (saban_attribute_table_get_field_name (t, found), field)
                                        ? NULL : field);
}

static void
update_swipe (SabanPlanCompareWindow *self)
{
  SabanLayer *current = chosen_layer (self->current_row, self->polygons);
  SabanSwipeLayer *swipe;

  if (!gtk_switch_get_active (self->swipe_switch) || current == NULL)
    {
      saban_map_view_set_swipe (self->view, NULL);
      return;
    }
  swipe = saban_map_view_set_swipe (self->view, current);
  saban_swipe_layer_set_position (swipe, gtk_range_get_value (GTK_RANGE (self->swipe_scale)));
}

static void
on_swipe_moved (SabanPlanCompareWindow *self)
{
  if (gtk_switch_get_active (self->swipe_switch))
    update_swipe (self);
}

static void
clear_result (SabanPlanCompareWindow *self)
{
  GtkWidget *child;

  g_clear_object (&self->result);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pair_list))) != NULL)
    gtk_list_box_remove (self->pair_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->pair_list), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.show", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export", FALSE);
}

static void
on_layer_chosen (SabanPlanCompareWindow *self,
                 GParamSpec             *pspec,
                 AdwComboRow            *row)
{
  if (self->updating)
    return;
  fill_fields (self, row == self->plan_row ? self->plan_field_row : self->current_field_row,
               chosen_layer (row, self->polygons));
  clear_result (self);
  if (row == self->current_row)
    update_swipe (self);
}

/* The layer chosen before, else the one the province's names say, else the first or second. */
static guint
index_of (GPtrArray  *polygons,
          SabanLayer *before,
          const char *name)
{
  for (guint i = 0; before != NULL && i < polygons->len; i++)
    if (g_ptr_array_index (polygons, i) == before)
      return i;
  for (guint i = 0; i < polygons->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (saban_layer_get_vector (g_ptr_array_index (polygons, i))), name))
      return i;
  return polygons->len > 1 && g_str_equal (name, "parcels") ? 1 : 0;
}

/* The polygon layers of the map (not selections), the plan and the parcels
 * chosen where the province's names say which. */
static void
fill_layers (SabanPlanCompareWindow *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) again = NULL;
  g_autoptr(SabanLayer) plan = chosen_layer (self->plan_row, self->polygons);
  g_autoptr(SabanLayer) current = chosen_layer (self->current_row, self->polygons);

  /* kept across the rebuild: the array lets them go */
  if (plan != NULL)
    g_object_ref (plan);
  if (current != NULL)
    g_object_ref (current);
  g_ptr_array_set_size (self->polygons, 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->layers)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->layers), i);
      SabanVectorLayer *vector = saban_layer_get_vector (layer);

      if (vector == NULL || saban_vector_layer_get_kind (vector) != SABAN_GEOMETRY_POLYGON ||
          saban_vector_layer_is_subset (vector))
        continue;
      g_ptr_array_add (self->polygons, g_object_ref (layer));
      gtk_string_list_append (titles, saban_layer_get_title (layer));
    }
  again = gtk_string_list_new (NULL);
  for (guint i = 0; i < self->polygons->len; i++)
    gtk_string_list_append (again, saban_layer_get_title (g_ptr_array_index (self->polygons, i)));
  self->updating = TRUE;
  adw_combo_row_set_model (self->plan_row, G_LIST_MODEL (titles));
  adw_combo_row_set_model (self->current_row, G_LIST_MODEL (again));
  adw_combo_row_set_selected (self->plan_row, index_of (self->polygons, plan, "zoning"));
  adw_combo_row_set_selected (self->current_row, index_of (self->polygons, current, "parcels"));
  self->updating = FALSE;
  fill_fields (self, self->plan_field_row, chosen_layer (self->plan_row, self->polygons));
  fill_fields (self, self->current_field_row, chosen_layer (self->current_row, self->polygons));
}

static void
on_layers_changed (SabanPlanCompareWindow *self,
                   guint                   position,
                   guint                   removed,
                   guint                   added)
{
  fill_layers (self);
}

static GtkWidget *
pair_row (const SabanLanduseConflictPair *pair)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("%s → %s", pair->current, pair->planned);
  const char *from = saban_landuse_describe (pair->current), *to = saban_landuse_describe (pair->planned);
  g_autofree char *subtitle = g_strdup_printf ("%s → %s", from != NULL ? from : _("unknown code"),
                                               to != NULL ? to : _("unknown code"));
  g_autofree char *ha = saban_format_number (pair->area_ha, pair->area_ha < 10 ? 2 : 1);
  g_autofree char *count = saban_format_number (pair->n_parcels, 0);
  /* TRANSLATORS: area in hectares · how many parcels */
  g_autofree char *amount = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s ha · %s parcel", "%s ha · %s parcels",
                                                          pair->n_parcels), ha, count);
  GtkWidget *label = gtk_label_new (amount);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
show_result (SabanPlanCompareWindow *self)
{
  const SabanLanduseConflictPair *pairs;
  guint n;
  g_autofree char *ha = saban_format_number (saban_landuse_conflict_get_area_ha (self->result), 1);
  g_autofree char *of = saban_format_number (saban_landuse_conflict_get_checked_ha (self->result), 1);
  g_autofree char *parcels = saban_format_number (saban_landuse_conflict_get_parcels (self->result)->len, 0);
  g_autofree char *summary = NULL;

  pairs = saban_landuse_conflict_get_pairs (self->result, &n);
  summary = n == 0 ? g_strdup_printf (_("Land is used as planned over the %s ha checked."), of)
                   : g_strdup_printf (_("%s ha of the %s ha checked is used otherwise than planned, in %s features."),
                                      ha, of, parcels);
  if (saban_landuse_conflict_get_n_skipped (self->result) > 0)
    {
      g_autofree char *more = g_strdup_printf (_("%s %u zones could not be read and were left out."), summary,
                                               saban_landuse_conflict_get_n_skipped (self->result));
      g_free (summary);
      summary = g_steal_pointer (&more);
    }
  gtk_label_set_label (self->summary_label, summary);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->pair_list, pair_row (&pairs[i]));
  gtk_widget_set_visible (GTK_WIDGET (self->pair_list), n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.show", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export", n > 0);
}

static void
on_progress (double      fraction,
             const char *what,
             gpointer    user_data)
{
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (user_data), fraction);
}

static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SabanLanduseConflict *conflict = SABAN_LANDUSE_CONFLICT (object);
  g_autoptr(GError) error = NULL;
  SabanPlanCompareWindow *self;

  if (!saban_landuse_conflict_compute_finish (conflict, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_PLAN_COMPARE_WINDOW (user_data);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  gtk_widget_set_sensitive (self->check_button, TRUE);
  if (error != NULL)
    {
      gtk_label_set_label (self->summary_label, error->message);
      return;
    }
  self->result = g_object_ref (conflict);
  show_result (self);
}

/**
 * saban_plan_compare_window_check:
 *
 * Runs the conflict check on the layers and fields chosen.
 */
void
saban_plan_compare_window_check (SabanPlanCompareWindow *self)
{
  SabanLayer *plan = chosen_layer (self->plan_row, self->polygons);
  SabanLayer *current = chosen_layer (self->current_row, self->polygons);
  g_autofree char *plan_field = chosen_field (self->plan_field_row);
  g_autofree char *current_field = chosen_field (self->current_field_row);
  g_autoptr(SabanLanduseConflict) conflict = NULL;

  clear_result (self);
  if (plan == NULL || current == NULL || plan == current)
    {
      gtk_label_set_label (self->summary_label, _("Choose two different layers of polygons to compare."));
      return;
    }
  conflict = saban_landuse_conflict_new (saban_layer_get_vector (plan), plan_field,
                                         saban_layer_get_vector (current), current_field);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_label_set_label (self->summary_label, _("Checking…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_widget_set_sensitive (self->check_button, FALSE);
  saban_landuse_conflict_compute_async (conflict, self->cancellable, on_progress, self->progress_bar, NULL,
                                        check_done, self);
}

/**
 * saban_plan_compare_window_get_result:
 *
 * Returns: (transfer none) (nullable): the last check's result, once done
 */
SabanLanduseConflict *
saban_plan_compare_window_get_result (SabanPlanCompareWindow *self)
{
  return self->result;
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  saban_plan_compare_window_check (SABAN_PLAN_COMPARE_WINDOW (widget));
}

static void
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SabanPlanCompareWindow *self = SABAN_PLAN_COMPARE_WINDOW (widget);

  saban_highlight_features (self->layers, self->view, saban_landuse_conflict_get_current (self->result),
                            saban_landuse_conflict_get_parcels (self->result), _("Land used otherwise than planned"));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SabanPlanCompareWindow *self = SABAN_PLAN_COMPARE_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (saban_export_dialog_new (GTK_WINDOW (self),
                                                           saban_landuse_conflict_get_current (self->result),
                                                           _("Land used otherwise than planned"),
                                                           saban_landuse_conflict_get_parcels (self->result))));
}

static void
saban_plan_compare_window_dispose (GObject *object)
{
  SabanPlanCompareWindow *self = SABAN_PLAN_COMPARE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->view != NULL)
    saban_map_view_set_swipe (self->view, NULL);
  if (self->layers != NULL)
    g_signal_handlers_disconnect_by_data (self->layers, self);
  g_clear_object (&self->view);
  g_clear_object (&self->layers);
  g_clear_object (&self->result);
  g_clear_pointer (&self->polygons, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_PLAN_COMPARE_WINDOW);
  G_OBJECT_CLASS (saban_plan_compare_window_parent_class)->dispose (object);
}

static void
saban_plan_compare_window_class_init (SabanPlanCompareWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_plan_compare_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-plan-compare-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanPlanCompareWindow, plan_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPlanCompareWindow, plan_field_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPlanCompareWindow, current_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPlanCompareWindow, current_field_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPlanCompareWindow, swipe_switch);
  gtk_widget_class_bind_template_child (widget_class, SabanPlanCompareWindow, swipe_scale);
  gtk_widget_class_bind_template_child (widget_class, SabanPlanCompareWindow, check_button);
  gtk_widget_class_bind_template_child (widget_class, SabanPlanCompareWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SabanPlanCompareWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SabanPlanCompareWindow, pair_list);
  gtk_widget_class_install_action (widget_class, "compare.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "compare.show", NULL, show_action);
  gtk_widget_class_install_action (widget_class, "compare.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
saban_plan_compare_window_init (SabanPlanCompareWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->polygons = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.show", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export", FALSE);
  g_signal_connect_swapped (self->plan_row, "notify::selected", G_CALLBACK (on_layer_chosen), self);
  g_signal_connect_swapped (self->current_row, "notify::selected", G_CALLBACK (on_layer_chosen), self);
  g_signal_connect_swapped (self->plan_field_row, "notify::selected", G_CALLBACK (on_field_chosen), self);
  g_signal_connect_swapped (self->current_field_row, "notify::selected", G_CALLBACK (on_field_chosen), self);
  g_signal_connect_swapped (self->swipe_switch, "notify::active", G_CALLBACK (update_swipe), self);
  g_signal_connect_swapped (self->swipe_scale, "value-changed", G_CALLBACK (on_swipe_moved), self);
}

/**
 * saban_plan_compare_window_new:
 * @layers: the map's layers (the session's model)
 * @view: the map the swipe divider and the findings are shown on
 *
 * Returns: (transfer floating): the window
 */
GtkWidget *
saban_plan_compare_window_new (GtkWindow       *parent,
                               SabanLayerModel *layers,
                               SabanMapView    *view)
{
  SabanPlanCompareWindow *self = g_object_new (SABAN_TYPE_PLAN_COMPARE_WINDOW, "transient-for", parent, NULL);

  self->layers = g_object_ref (layers);
  self->view = g_object_ref (view);
  fill_layers (self);
  g_signal_connect_object (layers, "items-changed", G_CALLBACK (on_layers_changed), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}
