/* saban-command-labels.c: the Command API's codes in the user's language.
 *
 * Statuses are lower case, as they read inside a sentence ("chờ → đã
 * giao"); a column title takes a capital. An unknown code shows as it is:
 * a newer server may send one we do not know.
 */
#include "saban-command-labels.h"

#include <glib/gi18n-lib.h>

typedef struct
{
  const char *code;
  const char *label;
} Label;

static const char *
lookup (const Label *labels, gsize n, const char *code, const char *context)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (labels[i].code, code) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, context, labels[i].label);
  return code != NULL ? code : "";
}

/**
 * saban_command_label_status:
 *
 * Returns: a scenario's or a task's status as a word (lower case)
 */
const char *
saban_command_label_status (SabanCommandCollection collection, const char *status)
{
  static const Label scenario[] = {
    { "draft", NC_("scenario status", "draft") },
    { "active", NC_("scenario status", "active") },
    { "suspended", NC_("scenario status", "suspended") },
    { "closed", NC_("scenario status", "closed") },
    { "cancelled", NC_("scenario status", "cancelled") },
  };
  static const Label task[] = {
    { "pending", NC_("task status", "pending") },
    { "assigned", NC_("task status", "assigned") },
    { "accepted", NC_("task status", "accepted") },
    { "in_progress", NC_("task status", "in progress") },
    { "paused", NC_("task status", "paused") },
    { "completed", NC_("task status", "completed") },
    { "failed", NC_("task status", "failed") },
    { "cancelled", NC_("task status", "cancelled") },
  };

  if (collection == SABAN_COMMAND_SCENARIOS)
    return lookup (scenario, G_N_ELEMENTS (scenario), status, "scenario status");
  return lookup (task, G_N_ELEMENTS (task), status, "task status");
}

/**
 * saban_command_label_heading:
 *
 * Returns: (transfer full): a status as a title (a board column, a group
 *   of scenarios)
 */
char *
saban_command_label_heading (SabanCommandCollection collection, const char *status)
{
  const char *word = saban_command_label_status (collection, status);
  gunichar first = g_utf8_get_char (word);
  char head[8] = { 0 };

  if (first == 0)
    return g_strdup (word);
  g_unichar_to_utf8 (g_unichar_totitle (first), head);
  return g_strconcat (head, g_utf8_next_char (word), NULL);
}

/**
 * saban_command_label_transition:
 *
 * Returns: the verb on the button that moves an item from @from to @to
 */
const char *
saban_command_label_transition (SabanCommandCollection collection, const char *from, const char *to)
{
  static const Label scenario[] = {
    { "active", NC_("scenario action", "Activate") },
    { "suspended", NC_("scenario action", "Suspend") },
    { "closed", NC_("scenario action", "Close") },
    { "cancelled", NC_("scenario action", "Cancel") },
  };
  static const Label task[] = {
    { "assigned", NC_("task action", "Assign") },
    { "accepted", NC_("task action", "Accept") },
    { "in_progress", NC_("task action", "Start") },
    { "paused", NC_("task action", "Pause") },
    { "completed", NC_("task action", "Complete") },
    { "failed", NC_("task action", "Report Failure") },
    { "cancelled", NC_("task action", "Cancel") },
  };

  if (collection == SABAN_COMMAND_SCENARIOS)
    return lookup (scenario, G_N_ELEMENTS (scenario), to, "scenario action");
  /* the same target, read from where the task stands */
  if (g_strcmp0 (to, "pending") == 0)
    return C_("task action", "Return");
  if (g_strcmp0 (from, "paused") == 0 && g_strcmp0 (to, "in_progress") == 0)
    return C_("task action", "Resume");
  return lookup (task, G_N_ELEMENTS (task), to, "task action");
}

/**
 * saban_command_label_scenario_done:
 * @status: where a scenario now stands on the server
 * @title: its title
 *
 * Returns: (transfer full): what happened, said exactly ("Đã hủy kịch bản
 *   “…”"), for a toast once the server has the change
 */
char *
saban_command_label_scenario_done (const char *status, const char *title)
{
  if (g_strcmp0 (status, "draft") == 0)
    return g_strdup_printf (_("Draft scenario “%s” saved on the IOC server"), title);
  if (g_strcmp0 (status, "active") == 0)
    return g_strdup_printf (_("Scenario “%s” activated"), title);
  if (g_strcmp0 (status, "suspended") == 0)
    return g_strdup_printf (_("Scenario “%s” suspended"), title);
  if (g_strcmp0 (status, "closed") == 0)
    return g_strdup_printf (_("Scenario “%s” closed"), title);
  if (g_strcmp0 (status, "cancelled") == 0)
    return g_strdup_printf (_("Scenario “%s” cancelled"), title);
  return g_strdup_printf (_("Scenario “%s” is now: %s"), title,
                          saban_command_label_status (SABAN_COMMAND_SCENARIOS, status));
}

const char *
saban_command_label_kind (const char *kind)
{
  static const Label kinds[] = {
    { "evacuate", NC_("task kind", "Evacuation") },
    { "shelter", NC_("task kind", "Sheltering") },
    { "rescue", NC_("task kind", "Rescue") },
    { "inspect", NC_("task kind", "Inspection") },
    { "repair", NC_("task kind", "Repair") },
    { "patrol", NC_("task kind", "Patrol") },
    { "supply", NC_("task kind", "Supply") },
    { "other", NC_("task kind", "Other") },
  };

  return lookup (kinds, G_N_ELEMENTS (kinds), kind, "task kind");
}

const char *
saban_command_label_report_version (const char *version)
{
  static const Label versions[] = {
    { "initial", NC_("report version", "Initial") },
    { "update", NC_("report version", "Update") },
    { "final", NC_("report version", "Final") },
  };

  return lookup (versions, G_N_ELEMENTS (versions), version, "report version");
}

/* CAP 1.2 severities */
const char *
saban_command_label_severity (const char *severity)
{
  static const Label severities[] = {
    { "Extreme", NC_("severity", "Extreme") },
    { "Severe", NC_("severity", "Severe") },
    { "Moderate", NC_("severity", "Moderate") },
    { "Minor", NC_("severity", "Minor") },
    { "Unknown", NC_("severity", "Unknown") },
  };

  return lookup (severities, G_N_ELEMENTS (severities), severity, "severity");
}

/**
 * saban_command_label_time:
 * @usec: µs since the epoch (SabanCommandItem's get_time())
 *
 * Returns: (transfer full): local time, `HH:MM dd/MM/yyyy`; "—" for none
 */
char *
saban_command_label_time (gint64 usec)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (usec <= 0)
    return g_strdup ("—");
  utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  local = utc ? g_date_time_to_local (utc) : NULL;
  return local ? g_date_time_format (local, "%H:%M %d/%m/%Y") : g_strdup ("—");
}

/**
 * saban_command_label_role:
 * @role: (nullable): an account's role, as the server names it
 *
 * Returns: (nullable): the role as the province's staff call it; NULL for
 *   a role this client does not know
 */
const char *
saban_command_label_role (const char *role)
{
  static const Label roles[] = {
    { "leader", NC_("account role", "Leader") },
    { "planner", NC_("account role", "Planner") },
    { "coordinator", NC_("account role", "Coordinator") },
    { "operator", NC_("account role", "Duty operator") },
    { "data_steward", NC_("account role", "Data steward") },
    { "admin", NC_("account role", "Administrator") },
  };

  const char *label;

  if (role == NULL)
    return NULL;
  /* lookup() gives an unknown code back as it is */
  label = lookup (roles, G_N_ELEMENTS (roles), role, "account role");
  return label != role ? label : NULL;
}

/**
 * saban_command_label_refusal:
 * @role: the signed-in account's role
 * @allowed: (array zero-terminated=1): the roles that may (the command
 *   schema's writers or a transition's roles)
 *
 * Returns: (transfer full): why the action is not offered, for its tooltip:
 *   who may, and what the user is signed in as
 */
char *
saban_command_label_refusal (const char *role, const char *const *allowed)
{
  g_autoptr(GString) who = g_string_new (NULL);
  const char *mine = saban_command_label_role (role);
  guint n = allowed != NULL ? g_strv_length ((char **) allowed) : 0;

  if (n == 0)
    return g_strdup (_("No account may do this here"));
  for (guint i = 0; i < n; i++)
    {
      const char *name = saban_command_label_role (allowed[i]);

      if (i > 0)
        g_string_append (who, i + 1 < n ? _(", ") : _(" or "));
      g_string_append (who, name != NULL ? name : allowed[i]);
    }
  return g_strdup_printf (_("Only a %s account may do this; you are signed in as %s"), who->str,
                          mine != NULL ? mine : role);
}

/**
 * saban_command_label_permission:
 * @role: (nullable): the signed-in account's role; NULL while unknown
 * @collection: "scenarios", "tasks", "sitreps", "acknowledgements"
 * @from: (nullable): the item's status, for a move; NULL to create one
 * @to: (nullable): the status it would move to; NULL to create one
 * @reason: (out) (optional) (transfer full): when not, why (for a tooltip)
 *
 * Whether the command schema lets @role create an item of @collection, or
 * move one from @from to @to: what a button offers. A role not known yet
 * may (the server decides).
 */
gboolean
saban_command_label_permission (const char *role, const char *collection, const char *from, const char *to,
                                char **reason)
{
  gboolean move = from != NULL && to != NULL;
  gboolean may = role == NULL || (move ? saban_command_schema_may_transition (collection, from, to, role)
                                       : saban_command_schema_may_write (collection, SABAN_COMMAND_POST, role));

  if (reason != NULL)
    *reason = may ? NULL
                  : saban_command_label_refusal (role, move ? saban_command_schema_get_transition_roles (collection,
                                                                                                          from, to)
                                                            : saban_command_schema_get_writers (collection,
                                                                                                SABAN_COMMAND_POST));
  return may;
}
