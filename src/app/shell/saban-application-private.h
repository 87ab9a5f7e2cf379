#pragma once

/* saban-application-private.h: what the application's files share —
 * saban-application.c (start-up, actions, signing in) and
 * saban-application-wall.c (wall mode and the panels' arrangement). */

#include "saban-alarm-sound.h"
#include "saban-application.h"

G_BEGIN_DECLS

struct _SabanApplication
{
  AdwApplication parent_instance;

  char *screenshot_path;

  SabanSession         *session;
  SabanCommandNotifier *command_notifier;
  SabanAlarmSound      *alarm_sound;      /* one per application: windows do not sound twice */
  gboolean              desk_shown;       /* a leader's desk opens once, at the first sign-in */
  GtkWidget            *sign_in_dialog;   /* the one open, or NULL */
  guint                 ask_idle;

  GSettings            *settings;
  gboolean              quitting;         /* windows closing with the application keep their place */
};

/* saban-application-wall.c */
void saban_application_init_wall    (SabanApplication *self);
void saban_application_restore_wall (SabanApplication *self);
void saban_application_close_all    (SabanApplication *self,
                                     GtkWindow        *closing);

G_END_DECLS
