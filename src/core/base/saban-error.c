#include "saban-error.h"

G_DEFINE_QUARK (saban-error-quark, saban_error)
