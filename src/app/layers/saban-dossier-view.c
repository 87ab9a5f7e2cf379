/* saban-dossier-view.c: the decision that approved a planning zone, in the
 * inspector: number, date, authority, level, period, status, and its
 * documents, each opened with the desktop's viewer (a drawing as the
 * georeferenced file core writes, which a raster layer can also open).
 * The dossier is read by core in a worker. */
#include "saban-dossier-view.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _SabanDossierView
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *status_label;
  GtkGrid *grid;
  GtkListBox *documents;

  char *source;
  char *decision;
  SabanPlanningDossier *dossier;
  GCancellable *cancellable;
  guint n_rows;
};

G_DEFINE_FINAL_TYPE (SabanDossierView, saban_dossier_view, GTK_TYPE_WIDGET)

enum {
  DOCUMENT_OPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
add_row (SabanDossierView *self,
         const char       *name,
         const char       *value)
{
  GtkWidget *key, *text;

  if (value == NULL || *value == '\0')
    return;
  key = gtk_label_new (name);
  text = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (key), 1);
  gtk_label_set_yalign (GTK_LABEL (key), 0);
  gtk_widget_add_css_class (key, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_grid_attach (self->grid, key, 0, self->n_rows, 1, 1);
  gtk_grid_attach (self->grid, text, 1, self->n_rows, 1, 1);
  self->n_rows++;
}

static const char *
icon_of (const SabanPlanningDocument *doc)
{
  return doc->kind == SABAN_PLANNING_DOCUMENT_DRAWING ? "image-x-generic-symbolic" : "x-office-document-symbolic";
}

static void
on_open_clicked (GtkButton        *button,
                 SabanDossierView *self)
{
  saban_dossier_view_open (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "document")));
}

static void
show_documents (SabanDossierView *self)
{
  for (guint i = 0; i < saban_planning_dossier_get_n_documents (self->dossier); i++)
    {
      const SabanPlanningDocument *doc = saban_planning_dossier_get_document (self->dossier, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_label (doc->kind == SABAN_PLANNING_DOCUMENT_DRAWING ? _("Open drawing")
                                                                                                    : _("Open"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), doc->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), saban_planning_document_kind_describe (doc->kind));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_of (doc)));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "document", GUINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", G_CALLBACK (on_open_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->documents, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->documents), saban_planning_dossier_get_n_documents (self->dossier) > 0);
}

static void
show_dossier (SabanDossierView *self)
{
  GDate *date = saban_planning_dossier_get_date (self->dossier);
  char when[16] = "";

  if (date != NULL)
    g_date_strftime (when, sizeof when, "%d/%m/%Y", date);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  add_row (self, _("Decision"), saban_planning_dossier_get_number (self->dossier));
  add_row (self, _("Date"), when);
  add_row (self, _("Issued by"), saban_planning_dossier_get_authority (self->dossier));
  add_row (self, _("Approves"), saban_planning_dossier_get_title (self->dossier));
  add_row (self, _("Planning level"), saban_planning_level_describe (saban_planning_dossier_get_level (self->dossier)));
  add_row (self, _("Period"), saban_planning_dossier_get_period (self->dossier));
  add_row (self, _("Status"), saban_planning_status_describe (saban_planning_dossier_get_status (self->dossier)));
  add_row (self, _("Note"), saban_planning_dossier_get_note (self->dossier));
  show_documents (self);
}

static void
read_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  SabanPlanningDossier *dossier = saban_planning_dossier_read_finish (result, &error);
  SabanDossierView *self;

  if (dossier == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_DOSSIER_VIEW (user_data);
  if (dossier == NULL)
    {
      gtk_label_set_label (self->status_label, error->message);
      return;
    }
  self->dossier = dossier;
  show_dossier (self);
}

static void
open_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = saban_planning_dossier_open_document_finish (SABAN_PLANNING_DOSSIER (object), result, &error);
  SabanDossierView *self;

  if (uri == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_DOSSIER_VIEW (user_data);
  if (uri == NULL)
    {
      gtk_label_set_label (self->status_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
      return;
    }
  g_signal_emit (self, signals[DOCUMENT_OPENED], 0, uri);
}

/* GtkFileLauncher is GTK 4.10's: 4.8 shows a URI through the portal or the
 * desktop's default application. */
static void
saban_dossier_view_real_document_opened (SabanDossierView *self,
                                         const char       *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

/**
 * saban_dossier_view_open:
 *
 * Opens document @document with the desktop's viewer (see
 * SabanDossierView::document-opened).
 */
void
saban_dossier_view_open (SabanDossierView *self,
                         guint             document)
{
  g_autofree char *safe = g_uri_escape_string (self->decision, NULL, FALSE);
  g_autofree char *directory = g_build_filename (g_get_user_cache_dir (), "saban", "dossiers", safe, NULL);

  g_return_if_fail (self->dossier != NULL);
  saban_planning_dossier_open_document_async (self->dossier, document, directory, self->cancellable, open_done, self);
}

/**
 * saban_dossier_view_get_dossier:
 *
 * Returns: (transfer none) (nullable): the dossier, once read
 */
SabanPlanningDossier *
saban_dossier_view_get_dossier (SabanDossierView *self)
{
  return self->dossier;
}

static void
saban_dossier_view_dispose (GObject *object)
{
  SabanDossierView *self = SABAN_DOSSIER_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->dossier);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->decision, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_DOSSIER_VIEW);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (saban_dossier_view_parent_class)->dispose (object);
}

static void
saban_dossier_view_class_init (SabanDossierViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_dossier_view_dispose;

  /**
   * SabanDossierView::document-opened:
   * @uri: the document, written where the desktop can open it
   *
   * A document is ready to show; the default handler shows it with the
   * desktop's viewer.
   */
  signals[DOCUMENT_OPENED] =
    g_signal_new_class_handler ("document-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (saban_dossier_view_real_document_opened),
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-dossier-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanDossierView, box);
  gtk_widget_class_bind_template_child (widget_class, SabanDossierView, status_label);
  gtk_widget_class_bind_template_child (widget_class, SabanDossierView, grid);
  gtk_widget_class_bind_template_child (widget_class, SabanDossierView, documents);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
saban_dossier_view_init (SabanDossierView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * saban_dossier_view_new:
 * @source: the planning layer's source
 * @decision: the decision the zone names
 *
 * Returns: (transfer floating): a view that reads the dossier at once
 */
GtkWidget *
saban_dossier_view_new (const char *source,
                        const char *decision)
{
  SabanDossierView *self = g_object_new (SABAN_TYPE_DOSSIER_VIEW, NULL);

  self->source = g_strdup (source);
  self->decision = g_strdup (decision);
  saban_planning_dossier_read_async (source, decision, self->cancellable, read_done, self);
  return GTK_WIDGET (self);
}
