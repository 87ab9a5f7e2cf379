#pragma once

#include <gio/gio.h>

#include "saban-command-client.h"

G_BEGIN_DECLS

#define SABAN_TYPE_COMMAND_NOTIFIER (saban_command_notifier_get_type ())
G_DECLARE_FINAL_TYPE (SabanCommandNotifier, saban_command_notifier, SABAN, COMMAND_NOTIFIER, GObject)

SabanCommandNotifier *saban_command_notifier_new           (GApplication         *application,
                                                            SabanCommandClient   *client);
void                  saban_command_notifier_check_overdue (SabanCommandNotifier *self);

G_END_DECLS
