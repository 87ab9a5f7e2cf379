/* saban-catalog-window.c: the data catalogue (Danh mục dữ liệu): every layer
 * on the map and every collection the IOC server offers, with its keeper,
 * update frequency, last update, feature count, coordinate system, lineage
 * and a red, amber or green state from core's checks ("đúng, đủ, sạch,
 * sống"), run one layer at a time in a worker. A layer's findings list below;
 * one click shows the offending features on the map. The catalogue is
 * exported as a CSV, XLSX or PDF report. */
#include "saban-catalog-window.h"

#include <glib/gi18n.h>

#include "saban-catalog-entry.h"
#include "saban-catalog-report.h"
#include "saban-collection-list.h"
#include "saban-format.h"
#include "saban-highlight.h"

enum { COL_STATE, COL_TITLE, COL_OWNER, COL_FREQUENCY, COL_UPDATED, COL_FEATURES, COL_CRS, COL_LINEAGE, N_COLUMNS };

struct _SabanCatalogWindow
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkSpinner *spinner;
  GtkColumnView *column_view;
  GtkLabel *detail_title;
  GtkListBox *finding_list;

  SabanSession *session;
  SabanMapView *view;
  GListStore *entries;           /* SabanCatalogEntry, in the map's order, then the server's */
  GtkSingleSelection *selection;
  GCancellable *cancellable;
  guint next_check;              /* the entry being checked, one at a time */
  gboolean busy;
  GtkNativeDialog *chooser;
};

G_DEFINE_FINAL_TYPE (SabanCatalogWindow, saban_catalog_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
state_class (SabanQualityState state)
{
  static const char * const classes[] = { "quality-unknown", "quality-green", "quality-amber", "quality-red" };

  return classes[MIN (state, SABAN_QUALITY_RED)];
}

static char *
column_text (SabanCatalogEntry *entry,
             guint              column)
{
  const SabanCatalogMetadata *m = saban_catalog_entry_get_metadata (entry);

  switch (column)
    {
    case COL_STATE:
      return g_strdup_printf ("● %s", saban_quality_state_describe (saban_catalog_entry_get_state (entry)));
    case COL_TITLE:
      return g_strdup (saban_catalog_entry_get_title (entry));
    case COL_OWNER:
      return g_strdup (m->owner != NULL ? m->owner : "");
    case COL_FREQUENCY:
      return saban_catalog_describe_frequency (m->update_frequency);
    case COL_UPDATED:
      return m->last_update != NULL ? g_date_time_format (m->last_update, "%d/%m/%Y") : g_strdup ("");
    case COL_FEATURES:
      return saban_catalog_entry_get_n_features (entry) >= 0
             ? saban_format_number (saban_catalog_entry_get_n_features (entry), 0) : g_strdup ("");
    case COL_CRS:
      return g_strdup (saban_catalog_entry_get_crs_name (entry) != NULL ? saban_catalog_entry_get_crs_name (entry) : "");
    case COL_LINEAGE:
    default:
      return g_strdup (m->lineage != NULL ? m->lineage : "");
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  SabanCatalogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = column_text (entry, column);

  gtk_label_set_label (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, text);
  for (SabanQualityState s = SABAN_QUALITY_UNKNOWN; s <= SABAN_QUALITY_RED; s++)
    gtk_widget_remove_css_class (label, state_class (s));
  if (column == COL_STATE)
    gtk_widget_add_css_class (label, state_class (saban_catalog_entry_get_state (entry)));
}

static void
add_columns (SabanCatalogWindow *self)
{
  static const char * const titles[] = {
    [COL_STATE] = N_("State"), [COL_TITLE] = N_("Layer"), [COL_OWNER] = N_("Owner agency"),
    [COL_FREQUENCY] = N_("Update frequency"), [COL_UPDATED] = N_("Last update"), [COL_FEATURES] = N_("Features"),
    [COL_CRS] = N_("Coordinate system"), [COL_LINEAGE] = N_("Lineage"),
  };

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), NULL);
      column = gtk_column_view_column_new (_(titles[c]), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, c == COL_TITLE || c == COL_LINEAGE);
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }
}

static SabanCatalogEntry *
selected_entry (SabanCatalogWindow *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
on_show_clicked (GtkButton          *button,
                 SabanCatalogWindow *self)
{
  saban_catalog_window_show_finding (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "finding")));
}

static GtkWidget *
finding_row (SabanCatalogWindow        *self,
             const SabanQualityFinding *f,
             guint                      index)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *dot = gtk_label_new ("●");
  g_autofree char *title = f->field != NULL ? g_strdup_printf ("%s · %s", saban_quality_check_describe (f->check), f->field)
                                            : g_strdup (saban_quality_check_describe (f->check));

  gtk_widget_add_css_class (dot, state_class (f->state));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), f->summary);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), dot);
  if (f->features->len > 0)
    {
      GtkWidget *button = gtk_button_new_with_label (_("Show on the Map"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "finding", GUINT_TO_POINTER (index));
      g_signal_connect (button, "clicked", G_CALLBACK (on_show_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static void
show_details (SabanCatalogWindow *self)
{
  SabanCatalogEntry *entry = selected_entry (self);
  GtkWidget *child;
  g_autofree char *title = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->finding_list))) != NULL)
    gtk_list_box_remove (self->finding_list, child);
  if (entry == NULL)
    return;
  if (saban_catalog_entry_get_layer (entry) == NULL)
    title = g_strdup_printf (_("%s: a collection of the server, not on the map — add it to check it"),
                             saban_catalog_entry_get_title (entry));
  else if (!saban_catalog_entry_is_checked (entry))
    title = g_strdup_printf (_("%s: being checked…"), saban_catalog_entry_get_title (entry));
  else
    title = g_strdup_printf (_("%s: what the checks found"), saban_catalog_entry_get_title (entry));
  gtk_label_set_label (self->detail_title, title);
  for (guint i = 0; i < saban_catalog_entry_get_n_findings (entry); i++)
    gtk_list_box_append (self->finding_list, finding_row (self, saban_catalog_entry_get_finding (entry, i), i));
  gtk_widget_set_visible (GTK_WIDGET (self->finding_list), saban_catalog_entry_get_n_findings (entry) > 0);
}

static void
set_busy (SabanCatalogWindow *self,
          gboolean            busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  if (busy)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The province's outline and communes, from the layers on the map. */
static SabanCatalogContext
context_of (SabanCatalogWindow *self)
{
  SabanCatalogContext context = { NULL, NULL };

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->entries)); i++)
    {
      g_autoptr(SabanCatalogEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      SabanVectorLayer *layer = saban_catalog_entry_get_layer (entry);

      if (layer == NULL)
        continue;
      if (g_str_equal (saban_vector_layer_get_name (layer), "province"))
        context.boundary = layer;
      else if (g_str_equal (saban_vector_layer_get_name (layer), "communes"))
        context.communes = layer;
    }
  return context;
}

static void check_next (SabanCatalogWindow *self);

static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  SabanCatalogWindow *self;
  guint position;

  if (!saban_catalog_entry_check_finish (SABAN_CATALOG_ENTRY (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_CATALOG_WINDOW (user_data);
  if (error != NULL)
    g_message ("catalogue: %s not checked: %s", saban_catalog_entry_get_id (SABAN_CATALOG_ENTRY (object)), error->message);
  /* the row shows the entry anew */
  if (g_list_store_find (self->entries, object, &position))
    g_list_model_items_changed (G_LIST_MODEL (self->entries), position, 1, 1);
  if (SABAN_CATALOG_ENTRY (object) == selected_entry (self))
    show_details (self);
  check_next (self);
}

/* One layer at a time: the checks read their sources again. */
static void
check_next (SabanCatalogWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  SabanCatalogContext context = context_of (self);

  for (; self->next_check < g_list_model_get_n_items (G_LIST_MODEL (self->entries)); self->next_check++)
    {
      g_autoptr(SabanCatalogEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), self->next_check);

      if (saban_catalog_entry_get_layer (entry) == NULL)
        continue;
      self->next_check++;
      saban_catalog_entry_check_async (entry, &context, now, self->cancellable, check_done, self);
      return;
    }
  set_busy (self, FALSE);
}

static void
collections_fetched (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) collections = saban_collection_list_fetch_finish (result, &error);
  SabanCatalogWindow *self;

  if (collections == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("catalogue: %s", error->message);
      return;
    }
  self = SABAN_CATALOG_WINDOW (user_data);
  for (guint i = 0; i < collections->len; i++)
    {
      const SabanServerCollection *c = g_ptr_array_index (collections, i);
      g_autoptr(SabanCatalogEntry) entry = NULL;
      gboolean on_map = FALSE;

      /* a collection the map shows from a file of the same name is listed once */
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (self->entries)) && !on_map; k++)
        {
          g_autoptr(SabanCatalogEntry) other = g_list_model_get_item (G_LIST_MODEL (self->entries), k);

          on_map = g_str_equal (saban_catalog_entry_get_id (other), c->id);
        }
      if (on_map)
        continue;
      entry = saban_catalog_entry_new_for_collection (c->id, c->title, c->description);
      g_list_store_append (self->entries, entry);
    }
}

/* Lists the map's layers and the server's collections anew and checks them. */
static void
refresh (SabanCatalogWindow *self)
{
  SabanLayerModel *layers = saban_session_get_layers (self->session);
  SabanApi *api = saban_session_get_api (self->session);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_list_store_remove_all (self->entries);
  for (guint i = 0; layers != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (layers)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (layers), i);
      g_autoptr(SabanCatalogEntry) entry = NULL;

      /* a raster or a map service has no attribute table to describe */
      if (saban_layer_get_vector (layer) == NULL || saban_vector_layer_is_subset (saban_layer_get_vector (layer)))
        continue;
      entry = saban_catalog_entry_new_for_layer (saban_layer_get_vector (layer), saban_layer_get_title (layer));
      g_list_store_append (self->entries, entry);
    }
  if (api != NULL)
    saban_collection_list_fetch_async (api, self->cancellable, collections_fetched, self);
  self->next_check = 0;
  set_busy (self, TRUE);
  check_next (self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  refresh (SABAN_CATALOG_WINDOW (widget));
}

static void
report_written (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *self = user_data;
  GtkWindow *parent;
  gboolean ok = saban_catalog_report_write_finish (result, &error);

  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  parent = gtk_window_get_transient_for (self);
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.toast", "s",
                                ok ? _("The data catalogue report was written") : error->message);
}

static void
on_report_chosen (GtkNativeDialog    *chooser,
                  int                 response,
                  SabanCatalogWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  SabanCatalogReportFormat format = SABAN_CATALOG_REPORT_PDF;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = g_file_get_path (file);
  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".csv"))
    format = SABAN_CATALOG_REPORT_CSV;
  else if (g_str_has_suffix (lower, ".xlsx"))
    format = SABAN_CATALOG_REPORT_XLSX;
  else if (!g_str_has_suffix (lower, ".pdf"))
    {
      char *named = g_strconcat (path, ".pdf", NULL);

      g_free (path);
      path = named;
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->entries)); i++)
    g_ptr_array_add (entries, g_list_model_get_item (G_LIST_MODEL (self->entries), i));
  saban_catalog_report_write_async (entries, format, now, path, self->cancellable, report_written, self);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SabanCatalogWindow *self = SABAN_CATALOG_WINDOW (widget);

  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Export the Catalogue"), GTK_WINDOW (self),
                                                                  GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL));
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("PDF report"), "*.pdf");
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("Spreadsheet (XLSX)"), "*.xlsx");
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("Table (CSV)"), "*.csv");
  /* TRANSLATORS: the report's suggested file name */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("data-catalogue.pdf"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_report_chosen), self);
  gtk_native_dialog_show (self->chooser);
}

/**
 * saban_catalog_window_show_finding:
 * @finding: the finding's place among the selected entry's
 *
 * Shows the features the finding is about on the map, and takes the map there.
 */
void
saban_catalog_window_show_finding (SabanCatalogWindow *self,
                                   guint               finding)
{
  SabanCatalogEntry *entry = selected_entry (self);
  const SabanQualityFinding *f = entry != NULL ? saban_catalog_entry_get_finding (entry, finding) : NULL;
  g_autofree char *title = NULL;

  if (f == NULL || saban_catalog_entry_get_layer (entry) == NULL)
    return;
  /* TRANSLATORS: the check · the layer, the name of the layer of what it found */
  title = g_strdup_printf (_("%s · %s"), saban_quality_check_describe (f->check), saban_catalog_entry_get_title (entry));
  saban_highlight_features (saban_session_get_layers (self->session), self->view, saban_catalog_entry_get_layer (entry),
                            f->features, title);
}

/**
 * saban_catalog_window_get_entries:
 *
 * Returns: (transfer none): the catalogue's rows (SabanCatalogEntry)
 */
GListModel *
saban_catalog_window_get_entries (SabanCatalogWindow *self)
{
  return G_LIST_MODEL (self->entries);
}

/**
 * saban_catalog_window_get_busy:
 *
 * Returns: whether layers are being checked
 */
gboolean
saban_catalog_window_get_busy (SabanCatalogWindow *self)
{
  return self->busy;
}

void
saban_catalog_window_select (SabanCatalogWindow *self,
                             guint               position)
{
  gtk_single_selection_set_selected (self->selection, position);
}

static void
saban_catalog_window_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, SABAN_CATALOG_WINDOW (object)->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_catalog_window_dispose (GObject *object)
{
  SabanCatalogWindow *self = SABAN_CATALOG_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    g_signal_handlers_disconnect_by_data (self->chooser, self);
  g_clear_object (&self->chooser);
  g_clear_object (&self->selection);
  g_clear_object (&self->entries);
  g_clear_object (&self->session);
  g_clear_object (&self->view);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_CATALOG_WINDOW);
  G_OBJECT_CLASS (saban_catalog_window_parent_class)->dispose (object);
}

static void
saban_catalog_window_class_init (SabanCatalogWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_catalog_window_dispose;
  object_class->get_property = saban_catalog_window_get_property;

  /**
   * SabanCatalogWindow:busy:
   *
   * Layers are being checked.
   */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-catalog-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanCatalogWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SabanCatalogWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SabanCatalogWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, SabanCatalogWindow, detail_title);
  gtk_widget_class_bind_template_child (widget_class, SabanCatalogWindow, finding_list);
  gtk_widget_class_install_action (widget_class, "catalogue.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "catalogue.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
saban_catalog_window_init (SabanCatalogWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->entries = g_list_store_new (SABAN_TYPE_CATALOG_ENTRY);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->entries)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (show_details), self);
  add_columns (self);
  self->cancellable = g_cancellable_new ();
}

/**
 * saban_catalog_window_new:
 * @session: the layers on the map and the server
 * @view: the map offending features are shown on
 *
 * Returns: (transfer floating): the window, already listing and checking
 */
GtkWidget *
saban_catalog_window_new (GtkWindow    *parent,
                          SabanSession *session,
                          SabanMapView *view)
{
  SabanCatalogWindow *self = g_object_new (SABAN_TYPE_CATALOG_WINDOW, "transient-for", parent, NULL);

  self->session = g_object_ref (session);
  self->view = g_object_ref (view);
  refresh (self);
  return GTK_WIDGET (self);
}
