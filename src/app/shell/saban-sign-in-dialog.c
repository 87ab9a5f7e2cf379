/* saban-sign-in-dialog.c: asks for the account and its password, for the
 * session's server. Shown when the session needs a password (none given,
 * the server refused it, or refused the token it gave) and to switch
 * accounts; what the server said last is shown above, in the user's words.
 * Switching signs the previous account out first (its token ends on the
 * server, its remembered password is forgotten).
 */
#include "saban-sign-in-dialog.h"

#include <glib/gi18n.h>

struct _SabanSignInDialog
{
  AdwMessageDialog parent_instance;

  GtkLabel *error_label;
  AdwEntryRow *account_row;
  AdwPasswordEntryRow *password_row;
  GtkCheckButton *remember_check;

  SabanSession *session;
  gboolean switching;
};

enum { PROP_0, PROP_SESSION, PROP_SWITCHING, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanSignInDialog, saban_sign_in_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
update_response (SabanSignInDialog *self)
{
  const char *account = gtk_editable_get_text (GTK_EDITABLE (self->account_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "sign-in",
                                           *account != '\0' && *password != '\0');
}

static void
saban_sign_in_dialog_response (AdwMessageDialog *dialog, const char *response)
{
  SabanSignInDialog *self = SABAN_SIGN_IN_DIALOG (dialog);
  g_autofree char *account = NULL;

  if (g_str_equal (response, "sign-in"))
    {
      account = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->account_row))));
      /* the token of the one before ends; signed in again as the new one
       * at once, so no second dialog asks meanwhile */
      if (self->switching)
        saban_session_sign_out_async (self->session, NULL, NULL, NULL);
      saban_session_sign_in (self->session, account, gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                             gtk_check_button_get_active (self->remember_check));
    }
  /* the password leaves the entry as soon as it is used */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  ADW_MESSAGE_DIALOG_CLASS (saban_sign_in_dialog_parent_class)->response (dialog, response);
}

static void
saban_sign_in_dialog_constructed (GObject *object)
{
  SabanSignInDialog *self = SABAN_SIGN_IN_DIALOG (object);
  SabanConnection *c = saban_session_get_connection (self->session);
  g_autofree char *why = c != NULL && !self->switching ? saban_connection_describe_error (c) : NULL;
  g_autofree char *body = NULL;

  G_OBJECT_CLASS (saban_sign_in_dialog_parent_class)->constructed (object);

  body = g_strdup_printf (self->switching ? _("Sign in as another account on %s. The account signed in now is signed "
                                              "out.")
                                          : _("Server %s"),
                          c != NULL ? saban_connection_get_server_url (c) : "");
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  if (!self->switching && saban_session_get_account (self->session) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->account_row), saban_session_get_account (self->session));
  gtk_label_set_label (self->error_label, why != NULL ? why : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), why != NULL);
  update_response (self);
  gtk_widget_grab_focus (*gtk_editable_get_text (GTK_EDITABLE (self->account_row)) != '\0'
                         ? GTK_WIDGET (self->password_row) : GTK_WIDGET (self->account_row));
}

static void
saban_sign_in_dialog_dispose (GObject *object)
{
  SabanSignInDialog *self = SABAN_SIGN_IN_DIALOG (object);

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_SIGN_IN_DIALOG);
  G_OBJECT_CLASS (saban_sign_in_dialog_parent_class)->dispose (object);
}

static void
saban_sign_in_dialog_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanSignInDialog *self = SABAN_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_SWITCHING:
      self->switching = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_sign_in_dialog_class_init (SabanSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->constructed = saban_sign_in_dialog_constructed;
  object_class->dispose = saban_sign_in_dialog_dispose;
  object_class->set_property = saban_sign_in_dialog_set_property;
  dialog_class->response = saban_sign_in_dialog_response;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* to sign in as another account: the one signed in now signs out */
  properties[PROP_SWITCHING] = g_param_spec_boolean ("switching", NULL, NULL, FALSE,
                                                     G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
                                                     G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSignInDialog, account_row);
  gtk_widget_class_bind_template_child (widget_class, SabanSignInDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, SabanSignInDialog, remember_check);
}

static void
saban_sign_in_dialog_init (SabanSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->account_row, "changed", G_CALLBACK (update_response), self);
  g_signal_connect_swapped (self->password_row, "changed", G_CALLBACK (update_response), self);
}

/**
 * saban_sign_in_dialog_new:
 * @parent: (nullable): the window it asks over
 * @session: the session that signs in
 * @switching: to sign in as another account (the current one signs out)
 *
 * Returns: (transfer floating): the dialog; present it
 */
GtkWidget *
saban_sign_in_dialog_new (GtkWindow *parent, SabanSession *session, gboolean switching)
{
  g_return_val_if_fail (SABAN_IS_SESSION (session), NULL);

  return g_object_new (SABAN_TYPE_SIGN_IN_DIALOG, "transient-for", parent, "modal", TRUE, "session", session,
                       "switching", switching, NULL);
}
