#pragma once

#include <glib.h>

#include "saban-command-item.h"
#include "saban-command-schema.h"

G_BEGIN_DECLS

/* What the Command API's codes read as, for people: statuses, transitions
 * (as verbs), task kinds, report versions, CAP severities, times, the
 * accounts' roles and why a role may not do something. */

const char *saban_command_label_status     (SabanCommandCollection  collection,
                                            const char             *status);
char       *saban_command_label_heading    (SabanCommandCollection  collection,
                                            const char             *status);
const char *saban_command_label_transition (SabanCommandCollection  collection,
                                            const char             *from,
                                            const char             *to);
char       *saban_command_label_scenario_done (const char           *status,
                                              const char           *title);
const char *saban_command_label_kind       (const char             *kind);
const char *saban_command_label_report_version (const char         *version);
const char *saban_command_label_severity   (const char             *severity);
char       *saban_command_label_time       (gint64                  usec);
const char *saban_command_label_role       (const char             *role);
char       *saban_command_label_refusal    (const char             *role,
                                            const char *const      *allowed);
gboolean    saban_command_label_permission (const char            *role,
                                            const char             *collection,
                                            const char             *from,
                                            const char             *to,
                                            char                  **reason);

G_END_DECLS
