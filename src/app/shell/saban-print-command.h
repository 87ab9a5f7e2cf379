#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean saban_print_command_line_wants (int    argc,
                                         char **argv);
int      saban_print_command_line       (int    argc,
                                         char **argv);

G_END_DECLS
