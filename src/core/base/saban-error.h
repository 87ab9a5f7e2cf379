#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SABAN_ERROR (saban_error_quark ())

/* Messages carried by these errors are already translated: they reach users. */
typedef enum
{
  SABAN_ERROR_CRS,
  SABAN_ERROR_OPEN,
  SABAN_ERROR_READ,
  SABAN_ERROR_NO_DATA,
  SABAN_ERROR_PARSE,
  SABAN_ERROR_NEEDS_CRS,
  SABAN_ERROR_INVALID,     /* well-formed, but not acceptable (an area that crosses itself) */
} SabanError;

GQuark saban_error_quark (void);

G_END_DECLS
