/* saban-command-schema.c: the Command API's rules, for saban-server (which
 * enforces them) and the client (which offers only what they allow).
 *
 * The state machines are those of the shared design: a scenario goes
 * draft → active ⇄ suspended → closed, and draft, active or suspended →
 * cancelled; a task pending → assigned → accepted → in_progress ⇄ paused →
 * completed | failed, assigned → pending (rejected), and any state not
 * final → cancelled. A state with no way out is final. The first state is
 * the one an item is created in.
 *
 * Roles are those of docs/architecture.md: coordinators run scenarios and
 * dispatch tasks; operators also move tasks, write situation reports and
 * acknowledge alarms; the admin may do everything; leaders and planners
 * read.
 */
#include "saban-command-schema.h"

const char *const saban_command_roles[] = { "leader", "planner", "coordinator", "operator", "admin", NULL };

static const char *const coordinators[] = { "coordinator", "admin", NULL };
static const char *const responders[] = { "coordinator", "operator", "admin", NULL };

/* ---- state machines -------------------------------------------------------- */

typedef struct
{
  const char        *from;
  const char        *to[5];
  const char *const *roles[5];   /* who may take to[i] */
} State;

static const char *const scenario_states[] = { "draft", "active", "suspended", "closed", "cancelled", NULL };

static const State scenario_machine[] = {
  { "draft", { "active", "cancelled" }, { coordinators, coordinators } },
  { "active", { "suspended", "closed", "cancelled" }, { coordinators, coordinators, coordinators } },
  { "suspended", { "active", "closed", "cancelled" }, { coordinators, coordinators, coordinators } },
  { "closed" },
  { "cancelled" },
};

static const char *const task_states[] = {
  "pending", "assigned", "accepted", "in_progress", "paused", "completed", "failed", "cancelled", NULL
};

static const State task_machine[] = {
  { "pending", { "assigned", "cancelled" }, { responders, responders } },
  { "assigned", { "accepted", "pending", "cancelled" }, { responders, responders, responders } },
  { "accepted", { "in_progress", "cancelled" }, { responders, responders } },
  { "in_progress", { "paused", "completed", "failed", "cancelled" },
    { responders, responders, responders, responders } },
  { "paused", { "in_progress", "completed", "failed", "cancelled" },
    { responders, responders, responders, responders } },
  { "completed" },
  { "failed" },
  { "cancelled" },
};

/* ---- properties -------------------------------------------------------------- */

/* who sets a property: the server alone, the creation, or any write */
#define SERVER 0
#define CREATE SABAN_COMMAND_POST
#define EDIT (SABAN_COMMAND_POST | SABAN_COMMAND_PATCH)

#define STRING SABAN_COMMAND_FIELD_STRING
#define INT SABAN_COMMAND_FIELD_INT
#define TIME SABAN_COMMAND_FIELD_TIME
#define ENUM SABAN_COMMAND_FIELD_ENUM
#define ANY SABAN_COMMAND_FIELD_ANY

const char *const saban_command_task_kinds[] = {
  "evacuate", "shelter", "rescue", "inspect", "repair", "patrol", "supply", "other", NULL
};
const char *const saban_command_report_versions[] = { "initial", "update", "final", NULL };

/* CAP 1.2 */
static const char *const cap_category[] = { "Geo", "Met", "Safe", "Security", "Rescue", "Fire", "Health", "Env",
                                            "Transport", "Infra", "CBRNE", "Other", NULL };
static const char *const cap_severity[] = { "Extreme", "Severe", "Moderate", "Minor", "Unknown", NULL };
static const char *const cap_urgency[] = { "Immediate", "Expected", "Future", "Past", "Unknown", NULL };
static const char *const cap_certainty[] = { "Observed", "Likely", "Possible", "Unlikely", "Unknown", NULL };
static const char *const alarm_levels[] = { "alert", "danger", NULL };
/* the provincial alarm levels (cấp báo động) */
static const char *const alarm_grades[] = { "I", "II", "III", NULL };

static const SabanCommandField scenario_fields[] = {
  { "title", STRING, EDIT, TRUE }, { "description", STRING, EDIT }, { "playbook", STRING, EDIT },
  { "status", SABAN_COMMAND_FIELD_STATUS, EDIT, FALSE, scenario_states },
  { "exercise", SABAN_COMMAND_FIELD_BOOL, EDIT }, { "category", ENUM, EDIT, FALSE, cap_category },
  { "severity", ENUM, EDIT, FALSE, cap_severity }, { "urgency", ENUM, EDIT, FALSE, cap_urgency },
  { "certainty", ENUM, EDIT, FALSE, cap_certainty }, { "priority", INT, EDIT, FALSE, NULL, 0, 10 },
  { "commander", STRING, EDIT }, { "leadAgency", STRING, EDIT },
  { "agencies", SABAN_COMMAND_FIELD_STRINGS, EDIT },
  { "created", TIME, SERVER }, { "updated", TIME, SERVER }, { "activatedAt", TIME, SERVER },
  { "closedAt", TIME, SERVER }, { "version", INT, SERVER }, { NULL }
};

/* a task never moves to another scenario */
static const SabanCommandField task_fields[] = {
  { "scenarioId", INT, CREATE, TRUE, NULL, 1, G_MAXINT64 }, { "title", STRING, EDIT, TRUE },
  { "instructions", STRING, EDIT }, { "kind", ENUM, EDIT, FALSE, saban_command_task_kinds },
  { "priority", INT, EDIT, FALSE, NULL, 0, 10 }, { "assignee", SABAN_COMMAND_FIELD_ASSIGNEE, EDIT },
  { "status", SABAN_COMMAND_FIELD_STATUS, EDIT, FALSE, task_states },
  { "progress", INT, EDIT, FALSE, NULL, 0, 100 }, { "dueAt", TIME, EDIT },
  { "acceptedAt", TIME, SERVER }, { "startedAt", TIME, SERVER }, { "finishedAt", TIME, SERVER },
  { "outcome", STRING, EDIT }, { "created", TIME, SERVER }, { "updated", TIME, SERVER },
  { "version", INT, SERVER }, { NULL }
};

static const SabanCommandField sitrep_fields[] = {
  { "scenarioId", INT, CREATE, TRUE, NULL, 1, G_MAXINT64 }, { "reportNumber", INT, SERVER },
  { "reportVersion", ENUM, CREATE, FALSE, saban_command_report_versions }, { "forTimePeriod", ANY, CREATE },
  { "preparedBy", STRING, CREATE }, { "summary", STRING, CREATE, TRUE }, { "casualties", ANY, CREATE },
  { "resourcesCommitted", ANY, CREATE }, { "created", TIME, SERVER }, { "version", INT, SERVER }, { NULL }
};

/* an acknowledgement of a sensor alarm or a CAP alert (issue 5), naming
 * datastreamId or capIdentifier; acknowledgedBy is the token's user */
static const SabanCommandField acknowledgement_fields[] = {
  { "datastreamId", INT, CREATE, FALSE, NULL, 0, G_MAXINT64 }, { "thingId", INT, CREATE, FALSE, NULL, 0, G_MAXINT64 },
  { "capIdentifier", STRING, CREATE }, { "sensorName", STRING, CREATE, TRUE }, { "communeCode", STRING, CREATE },
  { "level", ENUM, CREATE, TRUE, alarm_levels }, { "alarmLevel", ENUM, CREATE, FALSE, alarm_grades },
  { "value", ANY, CREATE }, { "unit", STRING, CREATE },
  { "observedAt", TIME, CREATE, TRUE }, { "acknowledgedAt", TIME, CREATE, TRUE }, { "note", STRING, CREATE },
  { "acknowledgedBy", STRING, SERVER }, { "created", TIME, SERVER }, { "updated", TIME, SERVER },
  { "version", INT, SERVER }, { NULL }
};

/* ---- collections ------------------------------------------------------------- */

typedef struct
{
  const char              *name;
  const SabanCommandField *fields;
  const char *const       *post_roles;
  const char *const       *patch_roles;   /* NULL: its items never change */
  const char *const       *states;        /* NULL: it has no state machine */
  const State             *machine;
  gsize                    n_machine;
} Collection;

static const Collection collections[] = {
  { "scenarios", scenario_fields, coordinators, coordinators, scenario_states, scenario_machine,
    G_N_ELEMENTS (scenario_machine) },
  { "tasks", task_fields, coordinators, responders, task_states, task_machine, G_N_ELEMENTS (task_machine) },
  { "sitreps", sitrep_fields, responders },
  { "acknowledgements", acknowledgement_fields, responders },
};

static const Collection *
find_collection (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (collections); i++)
    if (g_strcmp0 (collections[i].name, name) == 0)
      return &collections[i];
  return NULL;
}

static const State *
find_state (const char *collection, const char *status)
{
  const Collection *c = find_collection (collection);

  for (gsize i = 0; c != NULL && i < c->n_machine; i++)
    if (g_strcmp0 (c->machine[i].from, status) == 0)
      return &c->machine[i];
  return NULL;
}

/**
 * saban_command_schema_get_fields:
 * @collection: a collection clients write
 *
 * Returns: (nullable): its properties, ended by one with a NULL name; NULL
 *   for a collection clients do not write
 */
const SabanCommandField *
saban_command_schema_get_fields (const char *collection)
{
  const Collection *c = find_collection (collection);

  return c != NULL ? c->fields : NULL;
}

/**
 * saban_command_schema_find_field:
 *
 * Returns: (nullable): the property @name of @collection's items, NULL if
 *   they have none by that name
 */
const SabanCommandField *
saban_command_schema_find_field (const char *collection, const char *name)
{
  for (const SabanCommandField *f = saban_command_schema_get_fields (collection); f != NULL && f->name != NULL; f++)
    if (g_str_equal (f->name, name))
      return f;
  return NULL;
}

/**
 * saban_command_schema_get_writers:
 * @method: %SABAN_COMMAND_POST (create) or %SABAN_COMMAND_PATCH (change)
 *
 * Returns: (array zero-terminated=1): the roles that may, empty if none may
 */
const char *const *
saban_command_schema_get_writers (const char *collection, SabanCommandMethod method)
{
  static const char *const nobody[] = { NULL };
  const Collection *c = find_collection (collection);
  const char *const *roles = c == NULL ? NULL : method == SABAN_COMMAND_POST ? c->post_roles : c->patch_roles;

  return roles != NULL ? roles : nobody;
}

/**
 * saban_command_schema_may_write:
 *
 * Returns: whether @role may create (@method POST) or change (PATCH) items
 *   of @collection at all; a change of status also needs
 *   saban_command_schema_may_transition()
 */
gboolean
saban_command_schema_may_write (const char *collection, SabanCommandMethod method, const char *role)
{
  return role != NULL && g_strv_contains (saban_command_schema_get_writers (collection, method), role);
}

/**
 * saban_command_schema_get_states:
 *
 * Returns: (nullable) (array zero-terminated=1): the states of a scenario
 *   or a task, in the order an item goes through them (the board's
 *   columns); NULL for a collection without a state machine
 */
const char *const *
saban_command_schema_get_states (const char *collection)
{
  const Collection *c = find_collection (collection);

  return c != NULL ? c->states : NULL;
}

/**
 * saban_command_schema_get_initial_state:
 *
 * Returns: (nullable): the state new items start in (draft, pending)
 */
const char *
saban_command_schema_get_initial_state (const char *collection)
{
  const char *const *states = saban_command_schema_get_states (collection);

  return states != NULL ? states[0] : NULL;
}

/**
 * saban_command_schema_is_terminal:
 *
 * Returns: whether @status is final: closed or cancelled for a scenario;
 *   completed, failed or cancelled for a task
 */
gboolean
saban_command_schema_is_terminal (const char *collection, const char *status)
{
  const State *s = find_state (collection, status);

  return s != NULL && s->to[0] == NULL;
}

/**
 * saban_command_schema_get_next_states:
 * @from: the state an item is in
 *
 * Returns: (nullable) (array zero-terminated=1): the states it may go to
 *   (empty from a final state); NULL for an unknown state or collection
 */
const char *const *
saban_command_schema_get_next_states (const char *collection, const char *from)
{
  const State *s = find_state (collection, from);

  return s != NULL ? s->to : NULL;
}

/**
 * saban_command_schema_allows:
 *
 * Returns: whether the state machine lets an item go from @from to @to
 */
gboolean
saban_command_schema_allows (const char *collection, const char *from, const char *to)
{
  const char *const *next = saban_command_schema_get_next_states (collection, from);

  return next != NULL && to != NULL && g_strv_contains (next, to);
}

/**
 * saban_command_schema_get_transition_roles:
 *
 * Returns: (array zero-terminated=1): the roles that may move an item from
 *   @from to @to; empty if the transition is not allowed
 */
const char *const *
saban_command_schema_get_transition_roles (const char *collection, const char *from, const char *to)
{
  static const char *const nobody[] = { NULL };
  const State *s = find_state (collection, from);

  for (guint i = 0; s != NULL && s->to[i] != NULL; i++)
    if (g_strcmp0 (s->to[i], to) == 0)
      return s->roles[i];
  return nobody;
}

/**
 * saban_command_schema_may_transition:
 *
 * Returns: whether @role may move an item from @from to @to
 */
gboolean
saban_command_schema_may_transition (const char *collection, const char *from, const char *to, const char *role)
{
  return role != NULL && g_strv_contains (saban_command_schema_get_transition_roles (collection, from, to), role);
}
