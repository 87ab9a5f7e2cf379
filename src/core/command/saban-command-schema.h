#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The Command API's rules, written once for saban-server and the client:
 * the scenario and task state machines (the states, the transitions
 * allowed and the roles allowed each), who may create or change items of
 * each collection, and which properties a client may set when it creates
 * an item (POST) and when it changes one (PATCH).
 *
 * Collections are named as on the wire ("scenarios", "tasks", "sitreps",
 * "acknowledgements"); roles as the server's accounts have them ("leader",
 * "planner", "coordinator", "operator", "admin"). Everything returned is
 * static. */

typedef enum
{
  SABAN_COMMAND_POST  = 1 << 0,
  SABAN_COMMAND_PATCH = 1 << 1,
} SabanCommandMethod;

typedef enum
{
  SABAN_COMMAND_FIELD_STRING,
  SABAN_COMMAND_FIELD_INT,       /* from min to max */
  SABAN_COMMAND_FIELD_BOOL,
  SABAN_COMMAND_FIELD_ENUM,      /* one of values */
  SABAN_COMMAND_FIELD_STRINGS,   /* an array of strings */
  SABAN_COMMAND_FIELD_ASSIGNEE,  /* {type, id, name}, all strings, id required */
  SABAN_COMMAND_FIELD_TIME,      /* RFC 3339 */
  SABAN_COMMAND_FIELD_ANY,
  SABAN_COMMAND_FIELD_STATUS,    /* one of values: the initial one on POST, a transition on PATCH */
} SabanCommandFieldType;

typedef struct
{
  const char            *name;
  SabanCommandFieldType  type;
  SabanCommandMethod     settable;   /* the writes that may set it; 0: the server sets it */
  gboolean               required;   /* on creation */
  const char *const     *values;
  gint64                 min;
  gint64                 max;
} SabanCommandField;

extern const char *const saban_command_roles[];
extern const char *const saban_command_task_kinds[];
extern const char *const saban_command_report_versions[];

const SabanCommandField *saban_command_schema_get_fields        (const char          *collection);
const SabanCommandField *saban_command_schema_find_field        (const char          *collection,
                                                                 const char          *name);
const char *const       *saban_command_schema_get_writers       (const char          *collection,
                                                                 SabanCommandMethod   method);
gboolean                 saban_command_schema_may_write         (const char          *collection,
                                                                 SabanCommandMethod   method,
                                                                 const char          *role);

const char *const       *saban_command_schema_get_states        (const char          *collection);
const char              *saban_command_schema_get_initial_state (const char          *collection);
gboolean                 saban_command_schema_is_terminal       (const char          *collection,
                                                                 const char          *status);
const char *const       *saban_command_schema_get_next_states   (const char          *collection,
                                                                 const char          *from);
gboolean                 saban_command_schema_allows            (const char          *collection,
                                                                 const char          *from,
                                                                 const char          *to);
const char *const       *saban_command_schema_get_transition_roles (const char       *collection,
                                                                 const char          *from,
                                                                 const char          *to);
gboolean                 saban_command_schema_may_transition    (const char          *collection,
                                                                 const char          *from,
                                                                 const char          *to,
                                                                 const char          *role);

G_END_DECLS
