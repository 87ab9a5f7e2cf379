/* saban-coordinate.c: a position typed or pasted by a user, in any of the
 * forms they have at hand:
 *
 *   22.48123, 103.97512           decimal degrees, latitude first
 *   22,48123; 103,97512           with Vietnamese decimal commas
 *   22°28′52,4″ B, 103°58′30,4″ Đ DMS, Vietnamese or English hemispheres
 *   X: 2.487.540,99  Y: 419.650,12  VN-2000 / TM-3 104°45′ (EPSG:9208),
 *                                 X the northing, as surveyors write it
 */
#include "saban-coordinate.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "saban-error.h"
#include "saban-transform.h"

typedef struct
{
  double value;
  char unit;       /* 'd' degrees, 'm' minutes, 's' seconds, 0 plain */
} Token;

/* A number with "." or "," as decimal or thousands separators: when both
 * appear the last is the decimal one; one kind appearing several times
 * groups thousands. */
static gboolean
parse_number (const char *start,
              gsize       len,
              double     *out)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  const char *last_dot = g_strrstr_len (start, len, ".");
  const char *last_comma = g_strrstr_len (start, len, ",");
  guint dots = 0, commas = 0;
  char decimal = 0;
  char *end;

  for (gsize i = 0; i < len; i++)
    {
      dots += start[i] == '.';
      commas += start[i] == ',';
    }
  if (dots > 0 && commas > 0)
    decimal = last_dot > last_comma ? '.' : ',';
  else if (dots == 1)
    decimal = '.';
  else if (commas == 1)
    decimal = ',';

  for (gsize i = 0; i < len; i++)
    {
      if (start[i] == decimal)
        g_string_append_c (clean, '.');
      else if (start[i] != '.' && start[i] != ',')
        g_string_append_c (clean, start[i]);
    }
  *out = g_ascii_strtod (clean->str, &end);
  return end != clean->str && *end == '\0';
}

static gboolean
is_number_char (const char *p)
{
  return g_ascii_isdigit (*p) || ((*p == '.' || *p == ',') && g_ascii_isdigit (p[1]));
}

/**
 * saban_coordinate_parse:
 * @latitude: (out): WGS 84 latitude
 * @longitude: (out): WGS 84 longitude
 *
 * Returns: %FALSE, with a message for users in @error, if @text is not a position
 */
gboolean
saban_coordinate_parse (const char  *text,
                        double      *latitude,
                        double      *longitude,
                        GError     **error)
{
  g_autoptr(GArray) tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  g_autoptr(GString) work = g_string_new (text);
  gboolean vietnamese = FALSE;
  int sign[2] = { 1, 1 };
  double values[2] = { 0, 0 };
  guint n_values = 0;
  gboolean dms = strstr (text, "°") != NULL;

  /* the scan below steps by UTF-8 characters: past the end of broken text */
  if (!g_utf8_validate (text, -1, NULL))
    goto invalid;
  /* What our own status bar shows, pasted back, must parse too. */
  g_string_replace (work, "VN-2000", " ", 0);
  g_string_replace (work, "EPSG:9208", " ", 0);

  for (const char *p = work->str; *p != '\0'; )
    {
      if (g_ascii_isdigit (*p))
        {
          const char *start = p;
          Token token = { 0, 0 };

          while (is_number_char (p))
            p++;
          /* "22.48,103.97": a comma between two dotted decimals separates them. */
          if (!dms && tokens->len == 0)
            {
              const char *dot = memchr (start, '.', p - start);
              const char *comma = memchr (start, ',', p - start);
              if (dot != NULL && comma != NULL && comma > dot && memchr (comma, '.', p - comma) != NULL)
                p = comma;
            }
          if (!parse_number (start, p - start, &token.value))
            break;
          if (start > work->str && start[-1] == '-')
            token.value = -token.value;
          while (*p == ' ')
            p++;
          if (g_str_has_prefix (p, "°"))
            token.unit = 'd';
          else if (*p == '\'' || g_str_has_prefix (p, "′") || g_str_has_prefix (p, "’"))
            token.unit = 'm';
          else if (*p == '"' || g_str_has_prefix (p, "″") || g_str_has_prefix (p, "”"))
            token.unit = 's';
          g_array_append_val (tokens, token);
          continue;
        }
      else
        {
          gunichar c = g_unichar_toupper (g_utf8_get_char (p));
          const char *next = g_utf8_next_char (p);
          gboolean alone = !g_unichar_isalpha (g_utf8_get_char (next)) &&
                           (p == work->str || !g_unichar_isalpha (g_utf8_get_char (g_utf8_prev_char (p))));

          if (alone && (c == 'N' || c == 'S' || c == 'E' || c == 'W' || c == 'B' || c == 0x0110 || c == 'T'))
            {
              Token token = { c, 'h' };
              vietnamese |= c == 'B' || c == 0x0110;
              g_array_append_val (tokens, token);
            }
          p = next;
        }
    }

  /* Fold DMS parts and hemisphere letters into two values. In Vietnamese
   * B is north, N (Nam) south, Đ east and T west. */
  for (guint i = 0; i < tokens->len; i++)
    {
      Token *t = &g_array_index (tokens, Token, i);

      if (t->unit == 'h')
        {
          gunichar c = (gunichar) t->value;
          gboolean negative = vietnamese ? (c == 'N' || c == 'T') : (c == 'S' || c == 'W');

          if (n_values > 0 && negative)
            sign[n_values - 1] = -1;
        }
      else if (!dms || t->unit == 'd' || t->unit == 0)
        {
          if (n_values == 2)
            goto invalid;
          values[n_values++] = t->value;
        }
      else if (n_values > 0 && t->unit == 'm')
        values[n_values - 1] += copysign (t->value / 60, values[n_values - 1]);
      else if (n_values > 0 && t->unit == 's')
        values[n_values - 1] += copysign (t->value / 3600, values[n_values - 1]);
    }
  if (n_values != 2)
    goto invalid;
  values[0] *= sign[0];
  values[1] *= sign[1];

  if (fabs (values[0]) > 1000 && fabs (values[1]) > 1000)
    {
      /* VN-2000 plane coordinates: the northing (X) is the larger. */
      double xy[2] = { MIN (values[0], values[1]), MAX (values[0], values[1]) };
      g_autoptr(SabanTransform) t = saban_transform_new_epsg (SABAN_EPSG_VN2000_TM3_10445, SABAN_EPSG_WGS84, error);

      if (t == NULL)
        return FALSE;
      if (!saban_transform_points (t, xy, 1) || fabs (xy[1]) > 90)
        goto invalid;
      *longitude = xy[0];
      *latitude = xy[1];
      return TRUE;
    }

  *latitude = values[0];
  *longitude = values[1];
  if (fabs (*latitude) > 90 || fabs (*longitude) > 180)
    {
      /* Longitude first, as GIS software often writes it. */
      if (fabs (*longitude) <= 90 && fabs (*latitude) <= 180)
        {
          double swap = *latitude;
          *latitude = *longitude;
          *longitude = swap;
          return TRUE;
        }
      goto invalid;
    }
  return TRUE;

invalid:
  {
    g_autofree char *shown = g_utf8_make_valid (text, -1);

    g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE,
                 _("“%s” is not a position: write latitude and longitude (22.48, 103.97 or 22°28′52″ B, 103°58′30″ Đ) or VN-2000 X and Y"),
                 shown);
  }
  return FALSE;
}

/**
 * saban_coordinate_format:
 *
 * Returns: (transfer full): the position as decimal degrees, latitude
 *   first ("22.481230, 103.975120": six decimals, about 0.1 m), which
 *   saban_coordinate_parse() reads back
 */
char *
saban_coordinate_format (double latitude,
                         double longitude)
{
  char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup_printf ("%s, %s", g_ascii_formatd (lat, sizeof lat, "%.6f", latitude),
                          g_ascii_formatd (lon, sizeof lon, "%.6f", longitude));
}
