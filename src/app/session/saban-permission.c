/* saban-permission.c: a control that the signed-in role may not use is
 * disabled, with the reason as its tooltip (who may; what the user is
 * signed in as), and gets its own tooltip back when the role may. Which
 * role may what is the command schema's (saban_command_label_permission);
 * this only shows it.
 *
 * A button bound to an action has its sensitivity set by the action's
 * state whenever it is (re)attached to a window: a refused one is unbound
 * from its action, and bound again when the role may. */
#include "saban-permission.h"

/**
 * saban_permission_apply:
 * @allowed: whether the role may; the caller has set the widget's
 *   sensitivity for its other reasons first (this never raises it)
 * @reason: (nullable): why not, when not allowed
 */
void
saban_permission_apply (GtkWidget *widget, gboolean allowed, const char *reason)
{
  const char *own;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* the tooltip it had before any refusal, kept once */
  if (g_object_get_data (G_OBJECT (widget), "saban-own-tooltip") == NULL)
    g_object_set_data_full (G_OBJECT (widget), "saban-own-tooltip",
                            g_strdup (gtk_widget_get_tooltip_text (widget) ? gtk_widget_get_tooltip_text (widget) : ""),
                            g_free);
  own = g_object_get_data (G_OBJECT (widget), "saban-own-tooltip");
  if (GTK_IS_ACTIONABLE (widget) && gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)) != NULL)
    g_object_set_data_full (G_OBJECT (widget), "saban-action",
                            g_strdup (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget))), g_free);
  if (allowed)
    {
      if (g_object_get_data (G_OBJECT (widget), "saban-action") != NULL)
        gtk_actionable_set_action_name (GTK_ACTIONABLE (widget), g_object_get_data (G_OBJECT (widget), "saban-action"));
      gtk_widget_set_tooltip_text (widget, *own != '\0' ? own : NULL);
      return;
    }
  if (GTK_IS_ACTIONABLE (widget))
    gtk_actionable_set_action_name (GTK_ACTIONABLE (widget), NULL);
  gtk_widget_set_sensitive (widget, FALSE);
  gtk_widget_set_tooltip_text (widget, reason);
}
