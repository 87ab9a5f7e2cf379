/* saban-text.c: text as people type it — search ignores diacritics and
 * capitals ("lao cai" finds "Lào Cai"; "dd" does not need "đ"). */
#include "saban-text.h"

#include <string.h>

/**
 * saban_text_fold:
 *
 * Returns: (transfer full): @text without diacritics, đ as d, case-folded
 */
char *
saban_text_fold (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  g_autoptr(GString) out = g_string_sized_new (strlen (text));

  if (decomposed == NULL)
    return g_strdup ("");
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      if (c == 0x0111 || c == 0x0110)   /* đ, Đ: a letter of its own, not d + mark */
        c = 'd';
      g_string_append_unichar (out, g_unichar_tolower (c));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
