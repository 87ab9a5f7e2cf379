/* saban-account-button.c: who is signed in, in the header bar — the account
 * and its role, always in sight in a control room where workstations are
 * shared — with sign in, switch account and sign out in its menu (the
 * application's actions). */
#include "saban-account-button.h"

#include <glib/gi18n.h>

#include "saban-command-labels.h"

struct _SabanAccountButton
{
  GtkWidget parent_instance;

  GtkMenuButton *button;
  GtkLabel *user_label;
  GtkLabel *role_label;

  SabanSession *session;
};

G_DEFINE_FINAL_TYPE (SabanAccountButton, saban_account_button, GTK_TYPE_WIDGET)

static void
update (SabanAccountButton *self)
{
  SabanConnection *c = saban_session_get_connection (self->session);
  const char *user = saban_connection_get_user (c);
  const char *role = saban_command_label_role (saban_connection_get_role (c));
  g_autofree char *tooltip = NULL;

  if (user == NULL)
    {
      /* what to do, in the line that has the room for a name; the state
       * below in the role's (both whole at 1366 px) */
      gtk_label_set_label (self->user_label, C_("account button", "Sign in"));
      gtk_label_set_label (self->role_label, _("Not signed in"));
      tooltip = g_strdup_printf (_("Not signed in to %s: sign in to act on scenarios, tasks and alarms"),
                                 saban_connection_get_server_url (c));
    }
  else
    {
      gtk_label_set_label (self->user_label, user);
      gtk_label_set_label (self->role_label, role != NULL ? role : _("role not known"));
      tooltip = g_strdup_printf (_("Signed in to %s as %s (%s)"), saban_connection_get_server_url (c), user,
                                 role != NULL ? role : _("role not known"));
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
}

/**
 * saban_account_button_set_session:
 *
 * Shows @session's account; hidden for a session without a server.
 */
void
saban_account_button_set_session (SabanAccountButton *self, SabanSession *session)
{
  g_return_if_fail (SABAN_IS_ACCOUNT_BUTTON (self));
  g_return_if_fail (SABAN_IS_SESSION (session));

  g_set_object (&self->session, session);
  gtk_widget_set_visible (GTK_WIDGET (self), saban_session_get_connection (session) != NULL);
  if (saban_session_get_connection (session) == NULL)
    return;
  g_signal_connect_object (session, "notify::user", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::role", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

static void
saban_account_button_dispose (GObject *object)
{
  SabanAccountButton *self = SABAN_ACCOUNT_BUTTON (object);

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_ACCOUNT_BUTTON);
  G_OBJECT_CLASS (saban_account_button_parent_class)->dispose (object);
}

static void
saban_account_button_class_init (SabanAccountButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_account_button_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-account-button.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanAccountButton, button);
  gtk_widget_class_bind_template_child (widget_class, SabanAccountButton, user_label);
  gtk_widget_class_bind_template_child (widget_class, SabanAccountButton, role_label);
}

static void
saban_account_button_init (SabanAccountButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
