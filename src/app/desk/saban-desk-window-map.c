/* saban-desk-window-map.c: the chosen indicator by commune — the desk's
 * map as a choropleth (quantile classes of core's saban_indicator_set_
 * classify, a style made per switch: saban_layer_style_new_classed), its
 * legend with the unit in Vietnamese number format, the ranking of the
 * communes, the chart of the province and a chosen commune over the
 * periods, and a chosen commune's every indicator.
 *
 * The communes are the session's layer (the operations map loads it);
 * the desk draws it in a layer model of its own with its own style. A
 * feature is matched to the indicators' commune by its `code`.
 */
#include "saban-desk-window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-format.h"
#include "saban-indicator-figures.h"


/* how many periods the chart shows, by the indicator's kind: two years */
static guint
chart_periods (SabanPeriodKind kind)
{
  switch (kind)
    {
    case SABAN_PERIOD_YEAR:
      return 3;
    case SABAN_PERIOD_QUARTER:
      return 8;
    case SABAN_PERIOD_DAY:
      return 31;
    case SABAN_PERIOD_MONTH:
    default:
      return 24;
    }
}

/* (gtk_list_box_remove_all is GTK 4.12) */
static void
clear_list (GtkListBox *list)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, row);
}

/* ---- the communes on the map -------------------------------------------------------- */

static void
map_features (SabanDeskWindow *self)
{
  SabanVectorLayer *vector = saban_layer_get_vector (self->communes);
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (vector);
  int code = saban_attribute_table_find_field (table, "code");
  guint32 n = saban_vector_layer_get_n_features (vector);

  g_clear_pointer (&self->feature_commune, g_array_unref);
  self->feature_commune = g_array_sized_new (FALSE, FALSE, sizeof (int), n);
  for (guint32 f = 0; f < n; f++)
    {
      g_autofree char *value = code >= 0 ? saban_attribute_table_format (table, code, f) : NULL;
      guint commune;
      int c = value != NULL && saban_indicator_set_find_commune (self->indicators, value, &commune) ? (int) commune : -1;

      g_array_append_val (self->feature_commune, c);
    }
}

/**
 * saban_desk_window_attach_communes:
 *
 * Takes the session's communes layer for the desk's map once it is loaded,
 * and matches its features to the indicators' communes once both are here.
 */
void
saban_desk_window_attach_communes (SabanDeskWindow *self)
{
  if (self->communes == NULL)
    {
      g_autoptr(GPtrArray) vectors = saban_layer_model_dup_vectors (saban_session_get_layers (self->session));
      double e[4];

      for (guint i = 0; i < vectors->len && self->communes == NULL; i++)
        {
          SabanVectorLayer *vector = g_ptr_array_index (vectors, i);
          g_autoptr(SabanLayerStyle) style = NULL;

          if (!g_str_equal (saban_vector_layer_get_name (vector), "communes"))
            continue;
          style = saban_layer_style_new_for_layer (vector);
          self->communes = saban_layer_new (vector, style);
          saban_layer_model_add (self->layers, self->communes);
          if (saban_vector_layer_get_extent (vector, &e[0], &e[1], &e[2], &e[3]))
            saban_map_view_zoom_to_extent (self->map_view, e[0], e[1], e[2], e[3]);
        }
    }
  if (self->communes != NULL && self->indicators != NULL && self->feature_commune == NULL)
    {
      map_features (self);
      saban_desk_window_update_map (self);
    }
}

static int
feature_of (SabanDeskWindow *self, int commune)
{
  for (guint f = 0; self->feature_commune != NULL && f < self->feature_commune->len; f++)
    if (g_array_index (self->feature_commune, int, f) == commune)
      return (int) f;
  return -1;
}

static void
on_feature_activated (SabanDeskWindow *self, SabanVectorLayer *layer, gint64 feature)
{
  if (self->communes == NULL || layer != saban_layer_get_vector (self->communes) || feature < 0 ||
      self->feature_commune == NULL || feature >= self->feature_commune->len)
    return;
  saban_desk_window_select_commune (self, g_array_index (self->feature_commune, int, feature));
}

/* ---- choropleth and legend ----------------------------------------------------------- */

/* a class's bound as the indicator's values are written */
static char *
format_bound (double value, gpointer unit)
{
  return saban_format_number (value, saban_indicator_value_decimals (value, unit));
}

static void
set_choropleth (SabanDeskWindow *self, const SabanPeriod *period)
{
  SabanVectorLayer *vector = saban_layer_get_vector (self->communes);
  guint n_communes = saban_indicator_set_get_n_communes (self->indicators);
  guint32 n = saban_vector_layer_get_n_features (vector);
  g_autofree guint8 *by_commune = g_new (guint8, MAX (n_communes, 1));
  g_autofree guint8 *by_feature = g_new (guint8, MAX (n, 1));
  const SabanIndicator *def = saban_indicator_set_get_indicator (self->indicators, self->indicator);
  g_autofree char *title = def->unit != NULL && *def->unit != '\0' ? g_strdup_printf (_("Unit: %s"), def->unit) : NULL;
  guint n_colors;
  const GdkRGBA *ramp = saban_map_legend_get_ramp (&n_colors);
  g_autoptr(GArray) breaks = saban_indicator_set_classify (self->indicators, self->indicator, period, n_colors,
                                                           SABAN_CLASSIFY_QUANTILE, by_commune);

  for (guint32 f = 0; f < n; f++)
    {
      int c = g_array_index (self->feature_commune, int, f);

      by_feature[f] = c >= 0 ? by_commune[c] : SABAN_STYLE_NO_CLASS;
    }
  saban_map_view_set_choropleth (self->map_view, vector, by_feature, ramp, breaks->len);
  saban_map_legend_set_classes (self->legend, title, breaks, ramp, format_bound, def->unit);
}

/* ---- ranking and chart ---------------------------------------------------------------- */

/* A ranking row: its position, the commune and its value. Rows are made
 * for what is on screen only (a list view). The model's items are the
 * positions ("1.", "2.", …), which a switch of indicator or period does not
 * change: a switch refills the rows on screen in place (ranking_rows)
 * from the new order, so no row is unbound, rebuilt or re-laid out from
 * nothing (a splice of the 99 rows cost ~14 ms of each switch). */
static void
setup_rank (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *pos = gtk_label_new (NULL), *name = gtk_label_new (NULL), *value = gtk_label_new (NULL);

  gtk_label_set_width_chars (GTK_LABEL (pos), 3);
  gtk_label_set_xalign (GTK_LABEL (pos), 1);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (pos, "dim-label");
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_box_append (GTK_BOX (box), pos);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), value);
  gtk_list_item_set_child (item, box);
}

static guint
commune_at (SabanDeskWindow *self, guint position)
{
  return g_array_index (self->ranking_order, guint, position);
}

/* the commune at the row's position in the order shown, and its value */
static void
fill_rank (SabanDeskWindow *self, GtkListItem *item)
{
  const SabanIndicator *def = saban_indicator_set_get_indicator (self->indicators, self->indicator);
  GtkWidget *pos = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *name = gtk_widget_get_next_sibling (pos), *value = gtk_widget_get_next_sibling (name);
  guint commune = commune_at (self, gtk_list_item_get_position (item));
  g_autofree char *text = saban_indicator_format_value (
    saban_indicator_set_get_value (self->indicators, self->indicator, (int) commune, &self->ranking_period), def->unit);

  gtk_label_set_text (GTK_LABEL (pos), gtk_string_object_get_string (gtk_list_item_get_item (item)));
  gtk_label_set_text (GTK_LABEL (name), saban_indicator_set_get_commune (self->indicators, commune)->name);
  gtk_label_set_text (GTK_LABEL (value), text);
}

static void
bind_rank (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  SabanDeskWindow *self = data;

  g_ptr_array_add (self->ranking_rows, item);
  fill_rank (self, item);
}

static void
unbind_rank (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  SabanDeskWindow *self = data;

  /* the list view unbinds its rows in the window's dispose, after ours */
  if (self->ranking_rows != NULL)
    g_ptr_array_remove_fast (self->ranking_rows, item);
}

static void
select_ranking_row (SabanDeskWindow *self)
{
  guint position = GTK_INVALID_LIST_POSITION;

  for (guint p = 0; self->ranking_order != NULL && p < self->ranking_order->len && self->commune >= 0; p++)
    if (commune_at (self, p) == (guint) self->commune)
      position = p;
  gtk_single_selection_set_selected (self->ranking_selection, position);
}

/* the positions, made again only when the number of communes ranked changes */
static void
set_positions (SabanDeskWindow *self, guint n)
{
  g_autoptr(GPtrArray) positions = g_ptr_array_new_with_free_func (g_free);

  for (guint k = 0; k < n; k++)
    g_ptr_array_add (positions, g_strdup_printf ("%u.", k + 1));
  g_ptr_array_add (positions, NULL);
  gtk_string_list_splice (self->ranking, 0, g_list_model_get_n_items (G_LIST_MODEL (self->ranking)),
                          (const char *const *) positions->pdata);
}

static void
set_ranking (SabanDeskWindow *self, const SabanPeriod *period)
{
  g_autofree char *when = saban_period_format (period);
  g_autofree char *title = g_strdup_printf (_("Ranking of communes, %s"), when);

  g_clear_pointer (&self->ranking_order, g_array_unref);
  self->ranking_order = saban_indicator_set_rank (self->indicators, self->indicator, period);
  self->ranking_period = *period;
  gtk_label_set_text (self->ranking_title, title);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->ranking)) != self->ranking_order->len)
    set_positions (self, self->ranking_order->len);
  else
    for (guint r = 0; r < self->ranking_rows->len; r++)
      fill_rank (self, g_ptr_array_index (self->ranking_rows, r));
  select_ranking_row (self);
}

static void
on_ranking_activated (SabanDeskWindow *self, guint position)
{
  guint commune = commune_at (self, position);

  if ((int) commune != self->commune)
    saban_desk_window_select_commune (self, (int) commune);
}

/* the province's line, and the chosen commune's */
static void
set_chart (SabanDeskWindow *self)
{
  const SabanIndicator *def = saban_indicator_set_get_indicator (self->indicators, self->indicator);
  guint n = chart_periods (def->period_kind);
  GDate month, today;
  g_autoptr(SabanIndicatorFigures) province = NULL;
  g_autofree char *first = NULL;
  SabanPeriod start;

  saban_period_get_start (&self->month, &month);
  saban_desk_window_today (&today);
  province = saban_indicator_figures_new (self->indicators, self->indicator, SABAN_PROVINCE, &month, n, &today);
  start = saban_period_offset (&province->period, 1 - (int) n);
  first = saban_period_format (&start);
  saban_series_chart_set_axis (self->chart, first, province->period_text, def->unit);
  saban_series_chart_set_series (self->chart, 0, saban_indicator_set_get_province (self->indicators)->name,
                                 province->series);
  if (self->commune >= 0)
    {
      g_autoptr(SabanIndicatorFigures) commune = saban_indicator_figures_new (self->indicators, self->indicator,
                                                                              self->commune, &month, n, &today);

      saban_series_chart_set_series (self->chart, 1,
                                     saban_indicator_set_get_commune (self->indicators, self->commune)->name,
                                     commune->series);
    }
  else
    saban_series_chart_set_series (self->chart, 1, NULL, NULL);
}

/**
 * saban_desk_window_update_map:
 *
 * The chosen indicator for the month shown: choropleth, legend, ranking
 * and chart; or the plain communes while none is chosen.
 */
void
saban_desk_window_update_map (SabanDeskWindow *self)
{
  const SabanIndicator *def;
  g_autofree char *when = NULL, *title = NULL;
  SabanPeriod period;
  GDate month;
  gboolean earlier;

  if (self->indicators == NULL || self->indicator < 0)
    return;
  gtk_stack_set_visible_child_name (self->ranking_stack, "list");
  def = saban_indicator_set_get_indicator (self->indicators, self->indicator);
  saban_period_get_start (&self->month, &month);
  period = saban_indicator_figures_period (self->indicators, self->indicator, &month, &earlier);
  when = saban_period_format (&period);
  title = g_strdup_printf ("%s — %s", def->name, when);
  gtk_label_set_text (self->map_title, title);
  if (self->communes != NULL && self->feature_commune != NULL)
    set_choropleth (self, &period);
  set_ranking (self, &period);
  set_chart (self);
}

/* ---- a commune's indicators ---------------------------------------------------------- */


static GtkWidget *
commune_row (SabanDeskWindow *self, guint indicator, const GDate *month, const GDate *today)
{
  const SabanIndicator *def = saban_indicator_set_get_indicator (self->indicators, indicator);
  g_autoptr(SabanIndicatorFigures) f = saban_indicator_figures_new (self->indicators, indicator, self->commune, month,
                                                                    1, today);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new (f->value_text);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", f->period_text, f->change_text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), def->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (value, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  return row;
}

/**
 * saban_desk_window_update_commune:
 *
 * The chosen commune: selected on the map, its line on the chart, and every
 * indicator of it for the month shown.
 */
void
saban_desk_window_update_commune (SabanDeskWindow *self)
{
  const SabanAdminUnit *unit;
  g_autofree char *when = NULL, *title = NULL;
  GDate month, today;

  if (self->indicators == NULL || self->commune < 0)
    {
      gtk_widget_set_visible (self->commune_box, FALSE);
      return;
    }
  unit = saban_indicator_set_get_commune (self->indicators, self->commune);
  when = saban_period_format (&self->month);
  title = g_strdup_printf (_("%s: every indicator, %s"), unit->name, when);
  gtk_label_set_text (self->commune_title, title);
  clear_list (self->commune_list);
  saban_period_get_start (&self->month, &month);
  saban_desk_window_today (&today);
  for (guint i = 0; i < saban_indicator_set_get_n_indicators (self->indicators); i++)
    gtk_list_box_append (self->commune_list, commune_row (self, i, &month, &today));
  gtk_widget_set_visible (self->commune_box, TRUE);
  select_ranking_row (self);
  if (self->communes != NULL)
    saban_map_view_select (self->map_view, saban_layer_get_vector (self->communes), feature_of (self, self->commune));
  if (self->indicator >= 0)
    set_chart (self);
}

/**
 * saban_desk_window_init_map:
 *
 * The desk's own layer model on its map, and the clicks on it.
 */
void
saban_desk_window_init_map (SabanDeskWindow *self)
{
  self->layers = saban_layer_model_new ();
  saban_map_view_set_layers (self->map_view, self->layers);
  g_signal_connect_object (self->map_view, "feature-activated", G_CALLBACK (on_feature_activated), self,
                           G_CONNECT_SWAPPED);
  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

    self->ranking = gtk_string_list_new (NULL);
    self->ranking_rows = g_ptr_array_new ();
    self->ranking_selection = gtk_single_selection_new (G_LIST_MODEL (self->ranking));
    gtk_single_selection_set_autoselect (self->ranking_selection, FALSE);
    gtk_single_selection_set_can_unselect (self->ranking_selection, TRUE);
    g_signal_connect (factory, "setup", G_CALLBACK (setup_rank), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_rank), self);
    g_signal_connect (factory, "unbind", G_CALLBACK (unbind_rank), self);
    gtk_list_view_set_factory (self->ranking_view, factory);
    gtk_list_view_set_model (self->ranking_view, GTK_SELECTION_MODEL (self->ranking_selection));
    g_object_unref (factory);
    g_signal_connect_object (self->ranking_view, "activate", G_CALLBACK (on_ranking_activated), self,
                             G_CONNECT_SWAPPED);
  }
  saban_desk_window_attach_communes (self);
}
