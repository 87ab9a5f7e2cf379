/* saban-source-dialog.c: connect to a PostGIS database, an OGC API –
 * Features service or a WFS. The dialog only writes the GDAL connection
 * string; reading is the same as for a file. */
#include "saban-source-dialog.h"

#include <glib/gi18n.h>

struct _SabanSourceDialog
{
  AdwWindow parent_instance;

  AdwViewStack *stack;
  AdwEntryRow *pg_host;
  AdwEntryRow *pg_port;
  AdwEntryRow *pg_database;
  AdwEntryRow *pg_user;
  AdwPasswordEntryRow *pg_password;
  AdwEntryRow *oapif_url;
  AdwEntryRow *wfs_url;
};

G_DEFINE_FINAL_TYPE (SabanSourceDialog, saban_source_dialog, ADW_TYPE_WINDOW)

enum {
  SOURCE_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* libpq quotes values with single quotes, escaping \ and '. */
static void
append_pg (GString    *out,
           const char *key,
           const char *value)
{
  if (*value == '\0')
    return;
  g_string_append_printf (out, " %s='", key);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SabanSourceDialog *self = SABAN_SOURCE_DIALOG (widget);
  const char *page = adw_view_stack_get_visible_child_name (self->stack);
  g_autoptr(GString) source = g_string_new (NULL);

  if (g_str_equal (page, "postgis"))
    {
      g_string_append (source, "PG:");
      append_pg (source, "host", text_of (self->pg_host));
      append_pg (source, "port", text_of (self->pg_port));
      append_pg (source, "dbname", text_of (self->pg_database));
      append_pg (source, "user", text_of (self->pg_user));
      append_pg (source, "password", text_of (self->pg_password));
    }
  else if (g_str_equal (page, "oapif"))
    g_string_append_printf (source, "OAPIF:%s", g_strstrip ((char *) text_of (self->oapif_url)));
  else
    g_string_append_printf (source, "WFS:%s", g_strstrip ((char *) text_of (self->wfs_url)));

  g_signal_emit (self, signals[SOURCE_CHOSEN], 0, source->str);
  gtk_window_close (GTK_WINDOW (self));
}

static void
saban_source_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SABAN_TYPE_SOURCE_DIALOG);
  G_OBJECT_CLASS (saban_source_dialog_parent_class)->dispose (object);
}

static void
saban_source_dialog_class_init (SabanSourceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_source_dialog_dispose;

  /**
   * SabanSourceDialog::source-chosen:
   * @source: the GDAL connection string; may hold a password: never show it
   */
  signals[SOURCE_CHOSEN] = g_signal_new ("source-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-source-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanSourceDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SabanSourceDialog, pg_host);
  gtk_widget_class_bind_template_child (widget_class, SabanSourceDialog, pg_port);
  gtk_widget_class_bind_template_child (widget_class, SabanSourceDialog, pg_database);
  gtk_widget_class_bind_template_child (widget_class, SabanSourceDialog, pg_user);
  gtk_widget_class_bind_template_child (widget_class, SabanSourceDialog, pg_password);
  gtk_widget_class_bind_template_child (widget_class, SabanSourceDialog, oapif_url);
  gtk_widget_class_bind_template_child (widget_class, SabanSourceDialog, wfs_url);
  gtk_widget_class_install_action (widget_class, "source.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
saban_source_dialog_init (SabanSourceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
saban_source_dialog_new (GtkWindow *parent)
{
  return g_object_new (SABAN_TYPE_SOURCE_DIALOG, "transient-for", parent, NULL);
}
