/* saban-sensorthings.c: OGC SensorThings API 1.1 (a read subset plus
 * POST Observations) under /v1.1, and its MQTT extension topics.
 *
 * Every entity set is described by a table below (properties → columns,
 * navigation links → SQL conditions), so paths, $filter, $orderby, $select
 * and $expand are interpreted once for all sets. $filter is compiled to SQL
 * whose only spliced text is column names from these tables and fixed
 * operators; every literal is a bound parameter.
 */
#include "saban-sensorthings.h"
#include "saban-json.h"
#include "saban-cap.h"
#include "saban-ogc-features.h"

#include <math.h>

/* ---- the entity model -------------------------------------------------- */

typedef enum { K_TEXT, K_NUM, K_JSON, K_TIME, K_POINT, K_CONST } Kind;

typedef struct
{
  const char *name;
  const char *column;  /* K_POINT: unused (lon, lat); K_CONST: the value */
  Kind        kind;
} Prop;

typedef struct
{
  const char *name;
  int         target;
  gboolean    single;
  /* the target rows of a parent: %1$s = target alias, %2$s = parent id expression */
  const char *where;
} Nav;

enum { THINGS, LOCATIONS, HISTLOCS, DATASTREAMS, SENSORS, OBSPROPS, OBSERVATIONS, FOIS, N_SETS };

typedef struct
{
  const char *name;
  const char *table;
  Prop        props[7];
  Nav         navs[5];
} EntitySet;

static const EntitySet sets[N_SETS] = {
  [THINGS] = { "Things", "sta_things",
    { { "name", "name", K_TEXT }, { "description", "description", K_TEXT }, { "properties", "properties", K_JSON } },
    { { "Locations", LOCATIONS, FALSE, "%1$s.id IN (SELECT location_id FROM sta_thing_locations WHERE thing_id = %2$s)" },
      { "HistoricalLocations", HISTLOCS, FALSE, "%1$s.thing_id = %2$s" },
      { "Datastreams", DATASTREAMS, FALSE, "%1$s.thing_id = %2$s" } } },
  [LOCATIONS] = { "Locations", "sta_locations",
    { { "name", "name", K_TEXT }, { "description", "description", K_TEXT },
      { "encodingType", "application/geo+json", K_CONST }, { "location", NULL, K_POINT } },
    { { "Things", THINGS, FALSE, "%1$s.id IN (SELECT thing_id FROM sta_thing_locations WHERE location_id = %2$s)" },
      { "HistoricalLocations", HISTLOCS, FALSE, "%1$s.location_id = %2$s" } } },
  [HISTLOCS] = { "HistoricalLocations", "sta_historical_locations",
    { { "time", "time", K_TIME } },
    { { "Thing", THINGS, TRUE, "%1$s.id = (SELECT thing_id FROM sta_historical_locations WHERE id = %2$s)" },
      { "Locations", LOCATIONS, FALSE, "%1$s.id = (SELECT location_id FROM sta_historical_locations WHERE id = %2$s)" } } },
  [DATASTREAMS] = { "Datastreams", "sta_datastreams",
    { { "name", "name", K_TEXT }, { "description", "description", K_TEXT },
      { "observationType", "observation_type", K_TEXT }, { "unitOfMeasurement", "unit", K_JSON },
      { "properties", "properties", K_JSON } },
    { { "Thing", THINGS, TRUE, "%1$s.id = (SELECT thing_id FROM sta_datastreams WHERE id = %2$s)" },
      { "Sensor", SENSORS, TRUE, "%1$s.id = (SELECT sensor_id FROM sta_datastreams WHERE id = %2$s)" },
      { "ObservedProperty", OBSPROPS, TRUE, "%1$s.id = (SELECT observed_property_id FROM sta_datastreams WHERE id = %2$s)" },
      { "Observations", OBSERVATIONS, FALSE, "%1$s.datastream_id = %2$s" } } },
  [SENSORS] = { "Sensors", "sta_sensors",
    { { "name", "name", K_TEXT }, { "description", "description", K_TEXT },
      { "encodingType", "encoding_type", K_TEXT }, { "metadata", "metadata", K_TEXT } },
    { { "Datastreams", DATASTREAMS, FALSE, "%1$s.sensor_id = %2$s" } } },
  [OBSPROPS] = { "ObservedProperties", "sta_observed_properties",
    { { "name", "name", K_TEXT }, { "definition", "definition", K_TEXT }, { "description", "description", K_TEXT } },
    { { "Datastreams", DATASTREAMS, FALSE, "%1$s.observed_property_id = %2$s" } } },
  [OBSERVATIONS] = { "Observations", "sta_observations",
    { { "phenomenonTime", "phenomenon_time", K_TIME }, { "resultTime", "result_time", K_TIME },
      { "result", "result", K_NUM } },
    { { "Datastream", DATASTREAMS, TRUE, "%1$s.id = (SELECT datastream_id FROM sta_observations WHERE id = %2$s)" },
      { "FeatureOfInterest", FOIS, TRUE, "%1$s.id = (SELECT foi_id FROM sta_observations WHERE id = %2$s)" } } },
  [FOIS] = { "FeaturesOfInterest", "sta_features",
    { { "name", "name", K_TEXT }, { "description", "description", K_TEXT },
      { "encodingType", "application/geo+json", K_CONST }, { "feature", NULL, K_POINT } },
    { { "Observations", OBSERVATIONS, FALSE, "%1$s.foi_id = %2$s" } } },
};

#define TOP_DEFAULT 100
#define TOP_MAX     10000
#define EXPAND_DEPTH_MAX 4

static SabanStaSnapshotFunc snapshot_func;

static int
find_set (const char *name)
{
  for (int i = 0; i < N_SETS; i++)
    if (g_str_equal (sets[i].name, name))
      return i;
  return -1;
}

static const Prop *
find_prop (int set, const char *name)
{
  for (const Prop *p = sets[set].props; p->name != NULL; p++)
    if (g_str_equal (p->name, name))
      return p;
  return NULL;
}

static const Nav *
find_nav (int set, const char *name)
{
  for (const Nav *n = sets[set].navs; n->name != NULL; n++)
    if (g_str_equal (n->name, name))
      return n;
  return NULL;
}

static void
set_error (GError **error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
set_error (GError **error, const char *fmt, ...)
{
  va_list args;

  va_start (args, fmt);
  if (error != NULL && *error == NULL)
    *error = g_error_new_valist (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, fmt, args);
  va_end (args);
}

/* ---- bound values -------------------------------------------------------- */

typedef struct
{
  gboolean is_text;
  double   num;
  char    *text;
} Bind;

static void
bind_free (gpointer data)
{
  Bind *b = data;

  g_free (b->text);
  g_free (b);
}

static void
add_text (GPtrArray *binds, const char *text)
{
  Bind *b = g_new0 (Bind, 1);

  b->is_text = TRUE;
  b->text = g_strdup (text);
  g_ptr_array_add (binds, b);
}

static void
add_num (GPtrArray *binds, double v)
{
  Bind *b = g_new0 (Bind, 1);

  b->num = v;
  g_ptr_array_add (binds, b);
}

static void
bind_all (sqlite3_stmt *st, GPtrArray *binds)
{
  for (guint i = 0; i < binds->len; i++)
    {
      Bind *b = g_ptr_array_index (binds, i);

      if (b->is_text)
        sqlite3_bind_text (st, (int) i + 1, b->text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_double (st, (int) i + 1, b->num);
    }
}

/* ---- point in polygon, as an SQL function -------------------------------- */

typedef struct
{
  GArray *rings;  /* of GArray* of double pairs */
} Polygon;

static void
polygon_free (void *data)
{
  Polygon *p = data;

  for (guint i = 0; i < p->rings->len; i++)
    g_array_unref (g_array_index (p->rings, GArray *, i));
  g_array_unref (p->rings);
  g_free (p);
}

/* "POLYGON((x y, x y, …), (…))" in lon lat order, as OData's geography literals. */
static Polygon *
polygon_parse (const char *wkt)
{
  Polygon *p;
  const char *s = wkt;

  while (g_ascii_isspace (*s))
    s++;
  if (g_ascii_strncasecmp (s, "POLYGON", 7) != 0)
    return NULL;
  s += 7;
  while (g_ascii_isspace (*s))
    s++;
  if (*s++ != '(')
    return NULL;
  p = g_new0 (Polygon, 1);
  p->rings = g_array_new (FALSE, FALSE, sizeof (GArray *));
  for (;;)
    {
      GArray *ring;

      while (g_ascii_isspace (*s))
        s++;
      if (*s++ != '(')
        goto fail;
      ring = g_array_new (FALSE, FALSE, sizeof (double));
      g_array_append_val (p->rings, ring);
      for (;;)
        {
          char *end;
          double x, y;

          x = g_ascii_strtod (s, &end);
          if (end == s || !isfinite (x))
            goto fail;
          s = end;
          y = g_ascii_strtod (s, &end);
          if (end == s || !isfinite (y))
            goto fail;
          s = end;
          g_array_append_val (ring, x);
          g_array_append_val (ring, y);
          while (g_ascii_isspace (*s))
            s++;
          if (*s == ',')
            {
              s++;
              continue;
            }
          if (*s++ != ')')
            goto fail;
          break;
        }
      if (ring->len < 8 || ring->len > 200000)
        goto fail;
      while (g_ascii_isspace (*s))
        s++;
      if (*s == ',')
        {
          s++;
          continue;
        }
      if (*s++ != ')')
        goto fail;
      break;
    }
  while (g_ascii_isspace (*s))
    s++;
  if (*s != '\0')
    goto fail;
  return p;
fail:
  polygon_free (p);
  return NULL;
}

static gboolean
polygon_contains (Polygon *p, double x, double y)
{
  gboolean inside = FALSE;

  /* even-odd over every ring: holes fall out by themselves */
  for (guint r = 0; r < p->rings->len; r++)
    {
      GArray *ring = g_array_index (p->rings, GArray *, r);
      const double *v = (const double *) ring->data;
      guint n = ring->len / 2;

      for (guint i = 0, j = n - 1; i < n; j = i++)
        if (((v[2 * i + 1] > y) != (v[2 * j + 1] > y)) &&
            x < (v[2 * j] - v[2 * i]) * (y - v[2 * i + 1]) / (v[2 * j + 1] - v[2 * i + 1]) + v[2 * i])
          inside = !inside;
    }
  return inside;
}

static void
sql_in_polygon (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  Polygon *p = sqlite3_get_auxdata (ctx, 2);

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL || sqlite3_value_type (argv[1]) == SQLITE_NULL)
    {
      sqlite3_result_int (ctx, 0);
      return;
    }
  if (p == NULL)
    {
      p = polygon_parse ((const char *) sqlite3_value_text (argv[2]));
      if (p == NULL)
        {
          sqlite3_result_int (ctx, 0);
          return;
        }
      sqlite3_set_auxdata (ctx, 2, p, polygon_free);
      /* SQLite may free it at once; fetch it back */
      p = sqlite3_get_auxdata (ctx, 2);
      if (p == NULL)
        {
          Polygon *q = polygon_parse ((const char *) sqlite3_value_text (argv[2]));
          sqlite3_result_int (ctx, polygon_contains (q, sqlite3_value_double (argv[0]), sqlite3_value_double (argv[1])));
          polygon_free (q);
          return;
        }
    }
  sqlite3_result_int (ctx, polygon_contains (p, sqlite3_value_double (argv[0]), sqlite3_value_double (argv[1])));
}

/* ---- $filter → SQL --------------------------------------------------------- */

typedef enum { T_END, T_LPAREN, T_RPAREN, T_COMMA, T_NAME, T_NUM, T_STRING, T_TIME, T_GEO } TokType;

typedef struct
{
  const char *s;
  TokType     type;
  char       *text;
  double      num;
} Lexer;

static gboolean
lex (Lexer *lx, GError **error)
{
  const char *s = lx->s;

  g_clear_pointer (&lx->text, g_free);
  while (g_ascii_isspace (*s))
    s++;
  if (*s == '\0')
    lx->type = T_END;
  else if (*s == '(' || *s == ')' || *s == ',')
    {
      lx->type = *s == '(' ? T_LPAREN : *s == ')' ? T_RPAREN : T_COMMA;
      s++;
    }
  else if (*s == '\'' || g_ascii_strncasecmp (s, "geography'", 10) == 0)
    {
      GString *str = g_string_new (NULL);

      lx->type = *s == '\'' ? T_STRING : T_GEO;
      s = strchr (s, '\'') + 1;
      for (;;)
        {
          if (*s == '\0')
            {
              g_string_free (str, TRUE);
              set_error (error, "unterminated string in $filter");
              return FALSE;
            }
          if (*s == '\'' && s[1] == '\'')
            {
              g_string_append_c (str, '\'');
              s += 2;
            }
          else if (*s == '\'')
            {
              s++;
              break;
            }
          else
            g_string_append_c (str, *s++);
        }
      lx->text = g_string_free (str, FALSE);
    }
  else if (g_ascii_isdigit (*s) && g_ascii_isdigit (s[1]) && g_ascii_isdigit (s[2]) && g_ascii_isdigit (s[3]) && s[4] == '-')
    {
      const char *start = s;

      while (g_ascii_isalnum (*s) || *s == '-' || *s == ':' || *s == '.' || *s == '+')
        s++;
      lx->type = T_TIME;
      lx->text = g_strndup (start, s - start);
    }
  else if (g_ascii_isdigit (*s) || ((*s == '-' || *s == '.') && (g_ascii_isdigit (s[1]) || s[1] == '.')))
    {
      char *end;

      lx->num = g_ascii_strtod (s, &end);
      if (end == s || !isfinite (lx->num))
        {
          set_error (error, "bad number in $filter");
          return FALSE;
        }
      lx->type = T_NUM;
      s = end;
    }
  else if (g_ascii_isalpha (*s) || *s == '@' || *s == '_')
    {
      const char *start = s;

      while (g_ascii_isalnum (*s) || *s == '_' || *s == '.' || *s == '/' || *s == '@')
        s++;
      lx->type = T_NAME;
      lx->text = g_strndup (start, s - start);
    }
  else
    {
      set_error (error, "unexpected character '%c' in $filter", *s);
      return FALSE;
    }
  lx->s = s;
  return TRUE;
}

typedef struct
{
  int        set;
  const char *alias;
  GPtrArray *binds;
  int        depth;
} Compile;

static gboolean
is_ident (const char *s)
{
  if (*s == '\0' || strlen (s) > 64)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalnum (*s) && *s != '_')
      return FALSE;
  return TRUE;
}

/* A scalar property path of @set as an SQL expression on @alias, or NULL. */
static char *
prop_sql (int set, const char *alias, const char *path, Kind *kind, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  const Prop *p;
  const Nav *nav;

  if (parts[0] == NULL)  /* "" (as in "Thing/"): no segment at all */
    goto bad;
  if (g_str_equal (parts[0], "id") || g_str_equal (parts[0], "@iot.id"))
    {
      if (parts[1] != NULL)
        goto bad;
      *kind = K_NUM;
      return g_strdup_printf ("%s.id", alias);
    }
  if ((p = find_prop (set, parts[0])) != NULL)
    {
      if (p->kind == K_JSON)
        {
          g_autoptr(GString) jp = g_string_new ("$");

          for (guint i = 1; parts[i] != NULL; i++)
            {
              if (!is_ident (parts[i]))
                goto bad;
              g_string_append_printf (jp, ".%s", parts[i]);
            }
          *kind = K_JSON;
          /* the path is checked to be identifiers only, so it may be spliced */
          return g_strdup_printf ("json_extract(%s.%s, '%s')", alias, p->column, jp->str);
        }
      if (parts[1] != NULL || p->kind == K_POINT || p->kind == K_CONST)
        goto bad;
      *kind = p->kind;
      return g_strdup_printf ("%s.%s", alias, p->column);
    }
  if ((nav = find_nav (set, parts[0])) != NULL && nav->single && parts[1] != NULL)
    {
      g_autofree char *rest = g_strjoinv ("/", parts + 1);
      g_autofree char *sub_alias = g_strdup_printf ("%s_", alias);
      g_autofree char *inner = prop_sql (nav->target, sub_alias, rest, kind, error);
      g_autofree char *parent = g_strdup_printf ("%s.id", alias);
      g_autofree char *where = NULL;

      if (inner == NULL)
        return NULL;
      where = g_strdup_printf (nav->where, sub_alias, parent);
      return g_strdup_printf ("(SELECT %s FROM %s %s WHERE %s)", inner, sets[nav->target].table, sub_alias, where);
    }
bad:
  set_error (error, "unknown property in $filter or $orderby: %s", path);
  return NULL;
}

/* What a $filter operand or expression evaluates to. JSON is a value inside a
 * properties object: its type is known only per row, so it compares with any
 * scalar. */
typedef enum { F_BOOL, F_NULL, F_TEXT, F_NUM, F_TIME, F_JSON } FType;

static const char *
ftype_name (FType t)
{
  static const char *names[] = { "a boolean", "null", "a string", "a number", "a time", "a JSON value" };

  return names[t];
}

/* A compiled operand or expression: its SQL, its type, and the bound
 * parameter it made when it is a single literal (else -1). */
typedef struct
{
  char *sql;
  FType type;
  int   bind;
} Expr;

static void
expr_clear (Expr *e)
{
  g_clear_pointer (&e->sql, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Expr, expr_clear)

static FType
ftype_of_kind (Kind kind)
{
  switch (kind)
    {
    case K_NUM: return F_NUM;
    case K_TIME: return F_TIME;
    case K_JSON: return F_JSON;
    default: return F_TEXT;
    }
}

static gboolean compile_or (Lexer *lx, Compile *c, Expr *out, GError **error);
static gboolean compile_cmp (Lexer *lx, Compile *c, Expr *out, GError **error);

/* A property path as an operand; a location is a geometry, only for geo.intersects. */
static gboolean
compile_property (Lexer *lx, Compile *c, Expr *out, GError **error)
{
  Kind kind;
  const Prop *p = find_prop (c->set, lx->text);

  if (p != NULL && p->kind == K_POINT)
    {
      set_error (error, "$filter: %s is a geometry; compare it only with geo.intersects", lx->text);
      return FALSE;
    }
  out->sql = prop_sql (c->set, c->alias, lx->text, &kind, error);
  out->type = ftype_of_kind (kind);
  return out->sql != NULL;
}

/* An operand: a property, a literal, or a parenthesised expression. */
static gboolean
compile_operand (Lexer *lx, Compile *c, Expr *out, GError **error)
{
  out->bind = -1;
  switch (lx->type)
    {
    case T_LPAREN:
      if (!lex (lx, error) || !compile_or (lx, c, out, error))
        return FALSE;
      if (lx->type != T_RPAREN)
        {
          set_error (error, "missing ) in $filter");
          return FALSE;
        }
      /* a condition's SQL is parenthesised already; a bare value needs none */
      out->bind = -1;
      break;
    case T_NUM:
      out->bind = c->binds->len;
      add_num (c->binds, lx->num);
      out->sql = g_strdup ("?");
      out->type = F_NUM;
      break;
    case T_STRING:
      out->bind = c->binds->len;
      add_text (c->binds, lx->text);
      out->sql = g_strdup ("?");
      out->type = F_TEXT;
      break;
    case T_TIME:
      {
        g_autofree char *t = saban_normalise_time (lx->text, FALSE);

        if (t == NULL)
          {
            set_error (error, "not an ISO 8601 time in $filter: %s", lx->text);
            return FALSE;
          }
        out->bind = c->binds->len;
        add_text (c->binds, t);
        out->sql = g_strdup ("?");
        out->type = F_TIME;
      }
      break;
    case T_NAME:
      if (g_str_equal (lx->text, "true") || g_str_equal (lx->text, "false"))
        {
          out->sql = g_strdup (g_str_equal (lx->text, "true") ? "1" : "0");
          out->type = F_BOOL;
        }
      else if (g_str_equal (lx->text, "null"))
        {
          out->sql = g_strdup ("NULL");
          out->type = F_NULL;
        }
      else if (!compile_property (lx, c, out, error))
        return FALSE;
      break;
    default:
      set_error (error, "unexpected token in $filter");
      return FALSE;
    }
  return lex (lx, error);
}

/* Whether @l @op @r is meaningful; a quoted string beside a time is read as a time. */
static gboolean
check_compare (Compile *c, const char *op, Expr *l, Expr *r, GError **error)
{
  gboolean equality = g_str_equal (op, "eq") || g_str_equal (op, "ne");
  Expr *text = l->type == F_TEXT ? l : r;

  if (l->type == F_NULL || r->type == F_NULL || l->type == F_BOOL || r->type == F_BOOL)
    {
      if (!equality)
        {
          set_error (error, "$filter: %s cannot be ordered with %s", ftype_name (l->type == F_NULL || l->type == F_BOOL ? l->type : r->type), op);
          return FALSE;
        }
      if (l->type == F_NULL || r->type == F_NULL || l->type == r->type || l->type == F_JSON || r->type == F_JSON)
        return TRUE;
    }
  else if (l->type == r->type || l->type == F_JSON || r->type == F_JSON)
    return TRUE;
  else if ((l->type == F_TIME || r->type == F_TIME) && text->type == F_TEXT && text->bind >= 0)
    {
      Bind *b = g_ptr_array_index (c->binds, text->bind);
      g_autofree char *t = saban_normalise_time (b->text, FALSE);

      if (t == NULL)
        {
          set_error (error, "$filter: '%s' is not an ISO 8601 time", b->text);
          return FALSE;
        }
      g_free (b->text);
      b->text = g_steal_pointer (&t);
      return TRUE;
    }
  set_error (error, "$filter: cannot compare %s with %s", ftype_name (l->type), ftype_name (r->type));
  return FALSE;
}

/* geo.intersects(<point property path>, geography'POLYGON((…))') */
static char *
compile_geo (Lexer *lx, Compile *c, GError **error)
{
  g_autofree char *path = NULL;
  g_auto(GStrv) parts = NULL;
  const Prop *p;
  const Nav *nav = NULL;
  int target = c->set;
  Polygon *poly;
  char *out = NULL;

  if (!lex (lx, error) || lx->type != T_LPAREN || !lex (lx, error) || lx->type != T_NAME)
    {
      set_error (error, "geo.intersects wants (property, geography'POLYGON((…))')");
      return NULL;
    }
  path = g_strdup (lx->text);
  parts = g_strsplit (path, "/", -1);
  if (parts[1] != NULL)
    {
      nav = find_nav (c->set, parts[0]);
      if (nav == NULL || parts[2] != NULL)
        {
          set_error (error, "geo.intersects: unknown property %s", path);
          return NULL;
        }
      target = nav->target;
    }
  p = find_prop (target, parts[nav ? 1 : 0]);
  if (p == NULL || p->kind != K_POINT)
    {
      set_error (error, "geo.intersects: %s is not a location of %s", path, sets[c->set].name);
      return NULL;
    }
  if (!lex (lx, error) || lx->type != T_COMMA || !lex (lx, error) || lx->type != T_GEO)
    {
      set_error (error, "geo.intersects wants a geography'POLYGON((lon lat, …))' literal");
      return NULL;
    }
  poly = polygon_parse (lx->text);
  if (poly == NULL)
    {
      set_error (error, "geo.intersects: only closed POLYGON((lon lat, …)) literals are supported");
      return NULL;
    }
  polygon_free (poly);
  add_text (c->binds, lx->text);
  if (nav == NULL)
    out = g_strdup_printf ("saban_in_polygon(%s.lon, %s.lat, ?)", c->alias, c->alias);
  else
    {
      g_autofree char *sub = g_strdup_printf ("%s_g", c->alias);
      g_autofree char *parent = g_strdup_printf ("%s.id", c->alias);
      g_autofree char *where = g_strdup_printf (nav->where, sub, parent);

      out = g_strdup_printf ("EXISTS (SELECT 1 FROM %s %s WHERE %s AND saban_in_polygon(%s.lon, %s.lat, ?))",
                             sets[target].table, sub, where, sub, sub);
    }
  if (!lex (lx, error) || lx->type != T_RPAREN || !lex (lx, error))
    {
      g_free (out);
      set_error (error, "missing ) after geo.intersects");
      return NULL;
    }
  return out;
}

/* A comparison, a negation, geo.intersects, or a single operand. */
static gboolean
compile_cmp_at_depth (Lexer *lx, Compile *c, Expr *out, GError **error)
{
  static const struct { const char *op, *sql; } ops[] = {
    { "eq", "=" }, { "ne", "!=" }, { "gt", ">" }, { "ge", ">=" }, { "lt", "<" }, { "le", "<=" },
  };
  g_auto(Expr) left = { NULL, F_NULL, -1 };
  g_auto(Expr) right = { NULL, F_NULL, -1 };
  const char *op = NULL, *sql = NULL;

  out->bind = -1;
  out->type = F_BOOL;
  if (lx->type == T_NAME && g_str_equal (lx->text, "not"))
    {
      g_auto(Expr) inner = { NULL, F_NULL, -1 };

      if (!lex (lx, error) || !compile_cmp (lx, c, &inner, error))
        return FALSE;
      if (inner.type != F_BOOL)
        {
          set_error (error, "$filter: not wants a condition, not %s", ftype_name (inner.type));
          return FALSE;
        }
      out->sql = g_strdup_printf ("(NOT %s)", inner.sql);
      return TRUE;
    }
  if (lx->type == T_NAME && g_str_equal (lx->text, "geo.intersects"))
    return (out->sql = compile_geo (lx, c, error)) != NULL;

  if (!compile_operand (lx, c, &left, error))
    return FALSE;
  if (lx->type == T_NAME)
    for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
      if (g_str_equal (lx->text, ops[i].op))
        {
          op = ops[i].op;
          sql = ops[i].sql;
        }
  if (sql == NULL)
    {
      *out = left;  /* a value on its own; and / or are the caller's */
      left.sql = NULL;
      return TRUE;
    }
  if (!lex (lx, error) || !compile_operand (lx, c, &right, error) ||
      !check_compare (c, op, &left, &right, error))
    return FALSE;
  if (left.type == F_NULL || right.type == F_NULL)
    out->sql = g_strdup_printf ("(%s %s %s)", left.sql, g_str_equal (op, "eq") ? "IS" : "IS NOT", right.sql);
  else
    out->sql = g_strdup_printf ("(%s %s %s)", left.sql, sql, right.sql);
  return TRUE;
}

/* Depth counts nesting (parentheses, not), so a long flat chain is fine and
 * a deep one cannot exhaust the stack. */
static gboolean
compile_cmp (Lexer *lx, Compile *c, Expr *out, GError **error)
{
  gboolean ok;

  if (c->depth >= 64)
    {
      set_error (error, "$filter is nested too deeply");
      return FALSE;
    }
  c->depth++;
  ok = compile_cmp_at_depth (lx, c, out, error);
  c->depth--;
  return ok;
}

/* a chain of @next's joined by the keyword @word, written @sql in SQL: one
 * flat list in SQL too, so a long chain does not nest SQLite's parser */
static gboolean
compile_chain (Lexer *lx, Compile *c, gboolean (*next) (Lexer *, Compile *, Expr *, GError **), const char *word,
               const char *sql, Expr *out, GError **error)
{
  g_autoptr(GString) chain = NULL;

  if (!next (lx, c, out, error))
    return FALSE;
  while (lx->type == T_NAME && g_str_equal (lx->text, word))
    {
      g_auto(Expr) right = { NULL, F_NULL, -1 };

      if (!lex (lx, error) || !next (lx, c, &right, error))
        return FALSE;
      if (out->type != F_BOOL || right.type != F_BOOL)
        {
          set_error (error, "$filter: %s joins conditions, not %s", word,
                     ftype_name (out->type != F_BOOL ? out->type : right.type));
          return FALSE;
        }
      if (chain == NULL)
        chain = g_string_new (out->sql);
      g_string_append_printf (chain, " %s %s", sql, right.sql);
    }
  if (chain != NULL)
    {
      g_free (out->sql);
      out->sql = g_strdup_printf ("(%s)", chain->str);
      out->bind = -1;
    }
  return TRUE;
}

static gboolean
compile_and (Lexer *lx, Compile *c, Expr *out, GError **error)
{
  return compile_chain (lx, c, compile_cmp, "and", "AND", out, error);
}

static gboolean
compile_or (Lexer *lx, Compile *c, Expr *out, GError **error)
{
  return compile_chain (lx, c, compile_and, "or", "OR", out, error);
}

static char *
compile_filter (int set, const char *alias, const char *filter, GPtrArray *binds, GError **error)
{
  Lexer lx = { filter, T_END, NULL, 0 };
  Compile c = { set, alias, binds, 0 };
  g_auto(Expr) out = { NULL, F_NULL, -1 };
  gboolean ok;

  if (strlen (filter) > 8192)
    {
      set_error (error, "$filter is too long");
      return NULL;
    }
  ok = lex (&lx, error) && compile_or (&lx, &c, &out, error);
  if (ok && lx.type != T_END)
    {
      set_error (error, "unexpected text at the end of $filter: %s", lx.s);
      ok = FALSE;
    }
  if (ok && out.type != F_BOOL)
    {
      set_error (error, "$filter must be a condition, not %s", ftype_name (out.type));
      ok = FALSE;
    }
  g_free (lx.text);
  return ok ? g_steal_pointer (&out.sql) : NULL;
}

/* ---- query options ----------------------------------------------------------- */

typedef struct _Query Query;

typedef struct
{
  const Nav *nav;
  Query     *q;
} Expand;

struct _Query
{
  int        set;
  guint      top, skip;
  gboolean   count;
  char      *filter;
  char      *orderby;
  char     **select;   /* NULL: everything */
  GPtrArray *expand;   /* of Expand */
};

static void
query_free (Query *q)
{
  if (q == NULL)
    return;
  g_free (q->filter);
  g_free (q->orderby);
  g_strfreev (q->select);
  g_clear_pointer (&q->expand, g_ptr_array_unref);
  g_free (q);
}

static void
expand_free (gpointer data)
{
  Expand *e = data;

  query_free (e->q);
  g_free (e);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Query, query_free)

/* Splits at @sep outside parentheses and quotes. */
static GPtrArray *
split_top (const char *s, char sep, GError **error)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  int depth = 0;
  gboolean quoted = FALSE;
  const char *start = s;

  for (const char *p = s;; p++)
    {
      if (*p == '\'' )
        quoted = !quoted;
      else if (!quoted && *p == '(')
        depth++;
      else if (!quoted && *p == ')')
        depth--;
      if (depth < 0)
        break;
      if (*p == '\0' || (!quoted && depth == 0 && *p == sep))
        {
          g_autofree char *part = g_strstrip (g_strndup (start, p - start));

          if (*part != '\0')
            g_ptr_array_add (out, g_steal_pointer (&part));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  if (depth != 0 || quoted)
    {
      set_error (error, "unbalanced parentheses or quotes in a query option");
      g_ptr_array_unref (out);
      return NULL;
    }
  return out;
}

static gboolean
parse_count (const char *v, guint *out, guint max, const char *name, GError **error)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (v, 10, 0, G_MAXUINT32, &n, NULL))
    {
      set_error (error, "%s must be a non-negative integer (got %s)", name, v);
      return FALSE;
    }
  *out = (guint) MIN (n, max);
  return TRUE;
}

static gboolean query_set_option (Query *q, const char *name, const char *value, int depth, GError **error);

static gboolean
parse_expand (Query *q, const char *value, int depth, GError **error)
{
  g_autoptr(GPtrArray) items = NULL;

  if (depth >= EXPAND_DEPTH_MAX)
    {
      set_error (error, "$expand is nested too deeply");
      return FALSE;
    }
  if ((items = split_top (value, ',', error)) == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);
      const char *paren = strchr (item, '(');
      g_autofree char *path = paren ? g_strndup (item, paren - item) : g_strdup (item);
      g_auto(GStrv) navs = g_strsplit (g_strstrip (path), "/", -1);
      Query *parent = q;
      Expand *e = NULL;

      for (guint k = 0; navs[k] != NULL; k++)
        {
          const Nav *nav = find_nav (parent->set, navs[k]);

          if (nav == NULL)
            {
              set_error (error, "%s has no navigation property %s", sets[parent->set].name, navs[k]);
              return FALSE;
            }
          e = NULL;
          for (guint j = 0; parent->expand != NULL && j < parent->expand->len; j++)
            if (((Expand *) g_ptr_array_index (parent->expand, j))->nav == nav)
              e = g_ptr_array_index (parent->expand, j);
          if (e == NULL)
            {
              if (k + depth >= EXPAND_DEPTH_MAX)
                {
                  set_error (error, "$expand is nested too deeply");
                  return FALSE;
                }
              e = g_new0 (Expand, 1);
              e->nav = nav;
              e->q = g_new0 (Query, 1);
              e->q->set = nav->target;
              e->q->top = TOP_DEFAULT;
              if (parent->expand == NULL)
                parent->expand = g_ptr_array_new_with_free_func (expand_free);
              g_ptr_array_add (parent->expand, e);
            }
          parent = e->q;
        }
      if (paren != NULL)
        {
          g_autofree char *opts = NULL;
          g_autoptr(GPtrArray) list = NULL;

          if (item[strlen (item) - 1] != ')')
            {
              set_error (error, "bad $expand item: %s", item);
              return FALSE;
            }
          opts = g_strndup (paren + 1, strlen (paren + 1) - 1);
          if ((list = split_top (opts, ';', error)) == NULL)
            return FALSE;
          for (guint j = 0; j < list->len; j++)
            {
              const char *opt = g_ptr_array_index (list, j);
              const char *eq = strchr (opt, '=');
              g_autofree char *name = eq ? g_strstrip (g_strndup (opt, eq - opt)) : NULL;

              if (eq == NULL || !query_set_option (parent, name, eq + 1, depth + 1, error))
                {
                  set_error (error, "bad $expand option: %s", opt);
                  return FALSE;
                }
            }
        }
    }
  return TRUE;
}

static gboolean
query_set_option (Query *q, const char *name, const char *value, int depth, GError **error)
{
  if (g_str_equal (name, "$top"))
    return parse_count (value, &q->top, TOP_MAX, name, error);
  if (g_str_equal (name, "$skip"))
    return parse_count (value, &q->skip, G_MAXINT, name, error);
  if (g_str_equal (name, "$count"))
    {
      if (!g_str_equal (value, "true") && !g_str_equal (value, "false"))
        {
          set_error (error, "$count is true or false");
          return FALSE;
        }
      q->count = g_str_equal (value, "true");
      return TRUE;
    }
  if (g_str_equal (name, "$filter"))
    {
      g_autoptr(GPtrArray) probe = g_ptr_array_new_with_free_func (bind_free);
      g_autofree char *sql = compile_filter (q->set, "e", value, probe, error);

      if (sql == NULL)
        return FALSE;
      g_free (q->filter);
      q->filter = g_strdup (value);
      return TRUE;
    }
  if (g_str_equal (name, "$orderby"))
    {
      g_free (q->orderby);
      q->orderby = g_strdup (value);
      return TRUE;  /* checked when compiled */
    }
  if (g_str_equal (name, "$select"))
    {
      g_auto(GStrv) parts = g_strsplit (value, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (!g_str_equal (parts[i], "id") && !g_str_equal (parts[i], "@iot.id") &&
              !g_str_equal (parts[i], "@iot.selfLink") &&
              find_prop (q->set, parts[i]) == NULL && find_nav (q->set, parts[i]) == NULL)
            {
              set_error (error, "%s has no property %s", sets[q->set].name, parts[i]);
              return FALSE;
            }
        }
      g_strfreev (q->select);
      q->select = g_steal_pointer (&parts);
      return TRUE;
    }
  if (g_str_equal (name, "$expand"))
    return parse_expand (q, value, depth, error);
  if (g_str_equal (name, "$resultFormat") && g_str_equal (value, "default"))
    return TRUE;
  set_error (error, "unsupported query option %s", name);
  return FALSE;
}

static char *
compile_orderby (const Query *q, GError **error)
{
  GString *out = g_string_new (NULL);
  g_auto(GStrv) items = NULL;

  if (q->orderby != NULL)
    {
      items = g_strsplit (q->orderby, ",", 8);
      for (guint i = 0; items[i] != NULL; i++)
        {
          g_auto(GStrv) words = g_strsplit (g_strstrip (items[i]), " ", -1);
          g_autofree char *expr = NULL;
          const char *dir = "ASC";
          Kind kind;
          guint n = 0;

          for (guint k = 0; words[k] != NULL; k++)
            if (*words[k] != '\0')
              words[n++] = words[k];
          words[n] = NULL;
          if (n == 0 || n > 2 || (n == 2 && g_ascii_strcasecmp (words[1], "asc") != 0 &&
                                   g_ascii_strcasecmp (words[1], "desc") != 0))
            {
              set_error (error, "bad $orderby: %s", q->orderby);
              g_string_free (out, TRUE);
              return NULL;
            }
          if (n == 2 && g_ascii_strcasecmp (words[1], "desc") == 0)
            dir = "DESC";
          if ((expr = prop_sql (q->set, "e", words[0], &kind, error)) == NULL)
            {
              g_string_free (out, TRUE);
              return NULL;
            }
          g_string_append_printf (out, "%s %s, ", expr, dir);
        }
    }
  g_string_append (out, "e.id ASC");
  return g_string_free (out, FALSE);
}

/* ---- reading entities -------------------------------------------------------- */

typedef struct
{
  SabanStore *store;
  const char *base;  /* http://host:port */
} Ctx;

static gboolean
selected (const Query *q, const char *name)
{
  return q == NULL || q->select == NULL || g_strv_contains ((const char *const *) q->select, name);
}

static char *
select_columns (int set)
{
  GString *cols = g_string_new ("e.id");

  for (const Prop *p = sets[set].props; p->name != NULL; p++)
    if (p->kind == K_POINT)
      g_string_append (cols, ", e.lon, e.lat");
    else if (p->kind != K_CONST)
      g_string_append_printf (cols, ", e.%s", p->column);
  return g_string_free (cols, FALSE);
}

static JsonNode *
json_from_text (const char *text)
{
  g_autoptr(JsonNode) parsed = NULL;

  if (text == NULL || (parsed = saban_json_parse (text, -1, NULL)) == NULL)
    return json_node_new (JSON_NODE_NULL);
  return json_node_copy (parsed);
}

static JsonObject *point_json (double lon, double lat);

static gboolean run_query (Ctx *ctx, const Query *q, const Nav *nav, gint64 parent, gint64 only_id,
                           JsonArray *out, gint64 *count, gboolean *more, GError **error);

static JsonObject *
row_json (Ctx *ctx, sqlite3_stmt *st, const Query *q, GError **error)
{
  int set = q->set;
  gint64 id = sqlite3_column_int64 (st, 0);
  g_autofree char *self = g_strdup_printf ("%s/v1.1/%s(%" G_GINT64_FORMAT ")", ctx->base, sets[set].name, id);
  JsonObject *o = json_object_new ();
  int col = 1;

  if (selected (q, "id") || selected (q, "@iot.id"))
    json_object_set_int_member (o, "@iot.id", id);
  if (q->select == NULL || selected (q, "@iot.selfLink"))
    json_object_set_string_member (o, "@iot.selfLink", self);
  for (const Prop *p = sets[set].props; p->name != NULL; p++)
    {
      gboolean want = selected (q, p->name);

      switch (p->kind)
        {
        case K_CONST:
          if (want)
            json_object_set_string_member (o, p->name, p->column);
          break;
        case K_POINT:
          if (want)
            json_object_set_object_member (o, p->name, point_json (sqlite3_column_double (st, col),
                                                                    sqlite3_column_double (st, col + 1)));
          col += 2;
          break;
        case K_NUM:
          if (want)
            json_object_set_double_member (o, p->name, sqlite3_column_double (st, col));
          col++;
          break;
        case K_JSON:
          if (want)
            json_object_set_member (o, p->name, json_from_text ((const char *) sqlite3_column_text (st, col)));
          col++;
          break;
        default:
          if (want)
            {
              const char *t = (const char *) sqlite3_column_text (st, col);
              if (t != NULL)
                json_object_set_string_member (o, p->name, t);
              else
                json_object_set_null_member (o, p->name);
            }
          col++;
          break;
        }
    }
  for (const Nav *n = sets[set].navs; n->name != NULL; n++)
    {
      g_autofree char *member = g_strdup_printf ("%s@iot.navigationLink", n->name);
      g_autofree char *href = g_strdup_printf ("%s/%s", self, n->name);
      Expand *e = NULL;

      for (guint i = 0; q->expand != NULL && i < q->expand->len; i++)
        if (((Expand *) g_ptr_array_index (q->expand, i))->nav == n)
          e = g_ptr_array_index (q->expand, i);
      if (e == NULL)
        {
          if (selected (q, n->name))
            json_object_set_string_member (o, member, href);
          continue;
        }
      {
        g_autoptr(JsonArray) arr = json_array_new ();
        gint64 count = -1;
        gboolean more = FALSE;

        if (!run_query (ctx, e->q, n, id, 0, arr, e->q->count ? &count : NULL, &more, error))
          {
            json_object_unref (o);
            return NULL;
          }
        if (n->single)
          {
            if (json_array_get_length (arr) > 0)
              json_object_set_member (o, n->name, json_node_copy (json_array_get_element (arr, 0)));
            else
              json_object_set_null_member (o, n->name);
          }
        else
          {
            if (count >= 0)
              {
                g_autofree char *cm = g_strdup_printf ("%s@iot.count", n->name);
                json_object_set_int_member (o, cm, count);
              }
            json_object_set_array_member (o, n->name, g_steal_pointer (&arr));
            if (more)
              {
                g_autofree char *nm = g_strdup_printf ("%s@iot.nextLink", n->name);
                g_autofree char *next = g_strdup_printf ("%s?$skip=%u&$top=%u", href, e->q->skip + e->q->top, e->q->top);
                json_object_set_string_member (o, nm, next);
              }
          }
      }
    }
  return o;
}

static JsonObject *
point_json (double lon, double lat)
{
  JsonObject *g = json_object_new ();
  JsonArray *c = json_array_new ();

  json_object_set_string_member (g, "type", "Point");
  json_array_add_double_element (c, round (lon * 1e7) / 1e7);
  json_array_add_double_element (c, round (lat * 1e7) / 1e7);
  json_object_set_array_member (g, "coordinates", c);
  return g;
}

/* Runs @q on its set, within the children of @parent through @nav when @nav is
 * given, or only the entity @only_id when it is > 0. */
static gboolean
run_query (Ctx *ctx, const Query *q, const Nav *nav, gint64 parent, gint64 only_id,
           JsonArray *out, gint64 *count, gboolean *more, GError **error)
{
  g_autoptr(GPtrArray) binds = g_ptr_array_new_with_free_func (bind_free);
  g_autoptr(GString) where = g_string_new ("1");
  g_autofree char *cols = select_columns (q->set);
  g_autofree char *order = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) st = NULL;
  guint n = 0;

  if (nav != NULL)
    {
      g_autofree char *cond = g_strdup_printf (nav->where, "e", "?");

      g_string_append_printf (where, " AND %s", cond);
      add_num (binds, (double) parent);
    }
  if (only_id > 0)
    {
      g_string_append (where, " AND e.id = ?");
      add_num (binds, (double) only_id);
    }
  if (q->filter != NULL)
    {
      g_autofree char *f = compile_filter (q->set, "e", q->filter, binds, error);

      if (f == NULL)
        return FALSE;
      g_string_append_printf (where, " AND %s", f);
    }
  if ((order = compile_orderby (q, error)) == NULL)
    return FALSE;

  if (count != NULL)
    {
      g_autofree char *csql = g_strdup_printf ("SELECT COUNT(*) FROM %s e WHERE %s", sets[q->set].table, where->str);
      g_autoptr(sqlite3_stmt) cs = saban_store_prepare (ctx->store, csql, error);

      if (cs == NULL)
        return FALSE;
      bind_all (cs, binds);
      if (sqlite3_step (cs) == SQLITE_ROW)
        *count = sqlite3_column_int64 (cs, 0);
    }
  sql = g_strdup_printf ("SELECT %s FROM %s e WHERE %s ORDER BY %s LIMIT %u OFFSET %u", cols, sets[q->set].table,
                         where->str, order, q->top + 1, q->skip);
  if ((st = saban_store_prepare (ctx->store, sql, error)) == NULL)
    return FALSE;
  bind_all (st, binds);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      JsonObject *o;

      if (n == q->top)
        {
          *more = TRUE;
          break;
        }
      if ((o = row_json (ctx, st, q, error)) == NULL)
        return FALSE;
      json_array_add_object_element (out, o);
      n++;
    }
  return TRUE;
}

static gboolean
entity_exists (SabanStore *store, int set, gint64 id, const Nav *nav, gint64 parent)
{
  g_autofree char *cond = nav ? g_strdup_printf (nav->where, "e", "?") : g_strdup ("1");
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s e WHERE e.id = ? AND %s", sets[set].table, cond);
  g_autoptr(sqlite3_stmt) st = saban_store_prepare (store, sql, NULL);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  if (nav)
    sqlite3_bind_double (st, 2, (double) parent);
  return sqlite3_step (st) == SQLITE_ROW;
}

static gint64
single_target (SabanStore *store, const Nav *nav, gint64 parent)
{
  g_autofree char *cond = g_strdup_printf (nav->where, "e", "?");
  g_autofree char *sql = g_strdup_printf ("SELECT e.id FROM %s e WHERE %s", sets[nav->target].table, cond);
  g_autoptr(sqlite3_stmt) st = saban_store_prepare (store, sql, NULL);

  if (st == NULL)
    return 0;
  sqlite3_bind_double (st, 1, (double) parent);
  return sqlite3_step (st) == SQLITE_ROW ? sqlite3_column_int64 (st, 0) : 0;
}

/* ---- paths ------------------------------------------------------------------------ */

typedef struct
{
  int        set;
  gint64     id;      /* > 0: one entity */
  const Nav *nav;     /* collection under a parent */
  gint64     parent;
  gboolean   single_nav;
} Target;

/* "Name" or "Name(123)" */
static gboolean
parse_segment (const char *seg, char **name, gint64 *id)
{
  const char *paren = strchr (seg, '(');

  *id = 0;
  if (paren == NULL)
    {
      *name = g_strdup (seg);
      return TRUE;
    }
  if (seg[strlen (seg) - 1] != ')')
    return FALSE;
  {
    g_autofree char *num = g_strndup (paren + 1, strlen (paren + 1) - 1);

    if (!saban_parse_fid (num, id))
      return FALSE;
  }
  *name = g_strndup (seg, paren - seg);
  return TRUE;
}

/* Resolves "Things(1)/Datastreams" and the like; replies 404 itself. */
static gboolean
resolve_path (SabanRequest *req, char **segs, Target *t)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autofree char *name = NULL;
  gint64 id;

  memset (t, 0, sizeof *t);
  if (segs[0] == NULL || !parse_segment (segs[0], &name, &id) || (t->set = find_set (name)) < 0)
    goto not_found;
  t->id = id;
  if (id > 0 && !entity_exists (store, t->set, id, NULL, 0))
    goto not_found;
  for (guint i = 1; segs[i] != NULL; i++)
    {
      const Nav *nav;
      g_autofree char *nname = NULL;
      gint64 nid;

      if (t->id == 0 || !parse_segment (segs[i], &nname, &nid) || (nav = find_nav (t->set, nname)) == NULL)
        goto not_found;
      if (nav->single)
        {
          if (nid != 0 || (t->id = single_target (store, nav, t->id)) == 0)
            goto not_found;
          t->set = nav->target;
          t->single_nav = TRUE;
        }
      else if (nid > 0)
        {
          if (!entity_exists (store, nav->target, nid, nav, t->id))
            goto not_found;
          t->set = nav->target;
          t->id = nid;
        }
      else
        {
          if (segs[i + 1] != NULL)
            goto not_found;
          t->nav = nav;
          t->parent = t->id;
          t->set = nav->target;
          t->id = 0;
        }
    }
  return TRUE;
not_found:
  saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no such SensorThings entity or set");
  return FALSE;
}

static char **
split_rest (const char *rest)
{
  g_autofree char *decoded = g_uri_unescape_string (rest ? rest : "", NULL);
  g_auto(GStrv) parts = NULL;
  GPtrArray *out = g_ptr_array_new ();

  if (decoded == NULL)
    decoded = g_strdup ("\x01");  /* matches nothing */
  parts = g_strsplit (decoded, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (out, g_strdup (parts[i]));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

static char *
next_link (SabanRequest *req, const char *base, const Query *q)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *encoded = NULL;
  GHashTableIter iter;
  gpointer k, v;

  g_hash_table_iter_init (&iter, req->query);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_insert (params, k, g_strdup (v));
  g_hash_table_insert (params, "$skip", g_strdup_printf ("%u", q->skip + q->top));
  g_hash_table_insert (params, "$top", g_strdup_printf ("%u", q->top));
  encoded = soup_form_encode_hash (params);
  return g_strdup_printf ("%s%s?%s", base, req->path, encoded);
}

/* ---- handlers ----------------------------------------------------------------------- */

static void
sta_index (SabanRequest *req, gpointer data)
{
  g_autofree char *base = saban_request_base_url (req);
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *value = json_array_new ();
  JsonObject *settings = json_object_new ();
  JsonArray *conf = json_array_new ();

  for (int i = 0; i < N_SETS; i++)
    {
      JsonObject *o = json_object_new ();
      g_autofree char *url = g_strdup_printf ("%s/v1.1/%s", base, sets[i].name);

      json_object_set_string_member (o, "name", sets[i].name);
      json_object_set_string_member (o, "url", url);
      json_array_add_object_element (value, o);
    }
  json_object_set_array_member (root, "value", value);
  json_array_add_string_element (conf, "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel");
  json_array_add_string_element (conf, "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data");
  json_array_add_string_element (conf, "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/create-entity");
  json_array_add_string_element (conf, "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation");
  json_object_set_array_member (settings, "conformance", conf);
  {
    JsonObject *mqtt = json_object_new ();
    json_object_set_string_member (mqtt, "note", "observations are published on v1.1/Datastreams(id)/Observations "
                                                 "at the broker given to saban-server --mqtt");
    json_object_set_object_member (settings, "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation", mqtt);
  }
  json_object_set_object_member (root, "serverSettings", settings);
  saban_request_reply_object (req, SOUP_STATUS_OK, NULL, root);
}

static void
sta_get (SabanRequest *req, gpointer data)
{
  g_auto(GStrv) segs = split_rest (req->params[0]);
  g_autoptr(Query) q = g_new0 (Query, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) arr = json_array_new ();
  g_autofree char *base = saban_request_base_url (req);
  Ctx ctx = { saban_server_get_store (req->server), base };
  GHashTableIter iter;
  gpointer k, v;
  Target t;
  gint64 count = -1;
  gboolean more = FALSE;
  guint n_segs;

  if (segs[0] == NULL)
    {
      sta_index (req, data);
      return;
    }
  n_segs = g_strv_length (segs);
  if (n_segs >= 2 && g_str_equal (segs[n_segs - 1], "snapshot.png"))
    {
      /* a demo camera's picture: an extension, not a SensorThings entity */
      g_free (segs[n_segs - 1]);
      segs[n_segs - 1] = NULL;
      if (!resolve_path (req, segs, &t))
        return;
      if (t.set != THINGS || t.id == 0 || snapshot_func == NULL || !snapshot_func (req, t.id))
        saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "only demo cameras have snapshots");
      return;
    }
  if (!resolve_path (req, segs, &t))
    return;
  q->set = t.set;
  q->top = TOP_DEFAULT;
  g_hash_table_iter_init (&iter, req->query);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      if (((const char *) k)[0] != '$')
        continue;  /* not ours: ignored, as OData does */
      if (!query_set_option (q, k, v, 0, &error))
        {
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-parameter", "%s", error->message);
          return;
        }
    }
  if (t.id > 0)
    {
      Query one = *q;

      one.top = 1;
      one.skip = 0;
      one.filter = NULL;
      if (!run_query (&ctx, &one, NULL, 0, t.id, arr, NULL, &more, &error))
        goto fail;
      if (json_array_get_length (arr) == 0)
        {
          saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no such entity");
          return;
        }
      {
        g_autoptr(JsonNode) node = json_node_copy (json_array_get_element (arr, 0));
        saban_request_reply_json (req, SOUP_STATUS_OK, NULL, node);
      }
      return;
    }
  if (!run_query (&ctx, q, t.nav, t.parent, 0, arr, q->count ? &count : NULL, &more, &error))
    goto fail;
  {
    g_autoptr(JsonObject) root = json_object_new ();

    if (count >= 0)
      json_object_set_int_member (root, "@iot.count", count);
    if (more)
      {
        g_autofree char *next = next_link (req, base, q);
        json_object_set_string_member (root, "@iot.nextLink", next);
      }
    json_object_set_array_member (root, "value", g_steal_pointer (&arr));
    saban_request_reply_object (req, SOUP_STATUS_OK, NULL, root);
  }
  return;
fail:
  saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-parameter", "%s", error->message);
}

/* ---- observations: insert, publish, thresholds ---------------------------------- */

static gboolean
datastream_thresholds (SabanStore *store, gint64 ds, double *alert, double *danger, gint64 *foi)
{
  g_autoptr(sqlite3_stmt) st = saban_store_prepare (store,
      "SELECT json_extract(properties, '$.alertLevel'), json_extract(properties, '$.dangerLevel'), foi_id "
      "FROM sta_datastreams WHERE id = ?", NULL);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, ds);
  if (sqlite3_step (st) != SQLITE_ROW)
    return FALSE;
  *alert = sqlite3_column_type (st, 0) == SQLITE_NULL ? NAN : sqlite3_column_double (st, 0);
  *danger = sqlite3_column_type (st, 1) == SQLITE_NULL ? NAN : sqlite3_column_double (st, 1);
  *foi = sqlite3_column_int64 (st, 2);
  return TRUE;
}

/**
 * saban_sta_insert_observation:
 * Inserts one observation inside the caller's transaction and says which
 * threshold, if any, it crossed upwards from the Datastream's latest value.
 */
gboolean
saban_sta_insert_observation (SabanStore *store, gint64 ds, const char *phenomenon_time, double result,
                              gint64 *id, SabanStaCrossing *crossing, GError **error)
{
  g_autoptr(sqlite3_stmt) prev = NULL, ins = NULL;
  g_autofree char *now = saban_store_now ();
  double alert, danger, last = NAN;
  gint64 foi = 0;

  *crossing = SABAN_STA_CROSSED_NONE;
  if (!datastream_thresholds (store, ds, &alert, &danger, &foi))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no Datastream %" G_GINT64_FORMAT, ds);
      return FALSE;
    }
  prev = saban_store_prepare (store, "SELECT result FROM sta_observations WHERE datastream_id = ? "
                              "ORDER BY phenomenon_time DESC, id DESC LIMIT 1", error);
  if (prev == NULL)
    return FALSE;
  sqlite3_bind_int64 (prev, 1, ds);
  if (sqlite3_step (prev) == SQLITE_ROW)
    last = sqlite3_column_double (prev, 0);
  if (!isnan (danger) && result >= danger && !(last >= danger))
    *crossing = SABAN_STA_CROSSED_DANGER;
  else if (!isnan (alert) && result >= alert && !(last >= alert))
    *crossing = SABAN_STA_CROSSED_ALERT;

  ins = saban_store_prepare (store, "INSERT INTO sta_observations (datastream_id, phenomenon_time, result_time, "
                             "result, foi_id) VALUES (?, ?, ?, ?, ?)", error);
  if (ins == NULL)
    return FALSE;
  sqlite3_bind_int64 (ins, 1, ds);
  sqlite3_bind_text (ins, 2, phenomenon_time ? phenomenon_time : now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ins, 3, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (ins, 4, result);
  if (foi > 0)
    sqlite3_bind_int64 (ins, 5, foi);
  if (sqlite3_step (ins) != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "insert: %s", sqlite3_errmsg (saban_store_get_db (store)));
      return FALSE;
    }
  *id = sqlite3_last_insert_rowid (saban_store_get_db (store));
  return TRUE;
}

static JsonNode *
entity_node (SabanServer *server, int set, gint64 id, const char *base)
{
  Query q = { 0 };
  Ctx ctx = { saban_server_get_store (server), base };
  g_autoptr(JsonArray) arr = json_array_new ();
  gboolean more = FALSE;

  q.set = set;
  q.top = 1;
  if (!run_query (&ctx, &q, NULL, 0, id, arr, NULL, &more, NULL) || json_array_get_length (arr) == 0)
    return NULL;
  return json_node_copy (json_array_get_element (arr, 0));
}

/**
 * saban_sta_publish_entity:
 * Publishes the full JSON of one entity on @topic (after its commit).
 */
void
saban_sta_publish_entity (SabanServer *server, const char *set, gint64 id, const char *topic)
{
  int s = find_set (set);
  g_autoptr(JsonNode) node = s >= 0 ? entity_node (server, s, id, saban_server_get_base_url (server)) : NULL;

  if (node != NULL)
    saban_server_publish (server, topic, node);
}

/* A CAP alert for a river gauge that reached its danger level. */
static void
raise_danger_alert (SabanServer *server, gint64 obs)
{
  SabanStore *store = saban_server_get_store (server);
  g_autoptr(sqlite3_stmt) st = saban_store_prepare (store,
      "SELECT o.result, d.name, json_extract(d.properties, '$.dangerLevel'), t.name, "
      "  json_extract(t.properties, '$.communeCode'), l.lon, l.lat, d.id, json_extract(d.properties, '$.demo') "
      "FROM sta_observations o JOIN sta_datastreams d ON d.id = o.datastream_id "
      "JOIN sta_things t ON t.id = d.thing_id "
      "LEFT JOIN sta_thing_locations tl ON tl.thing_id = t.id LEFT JOIN sta_locations l ON l.id = tl.location_id "
      "WHERE o.id = ? LIMIT 1", NULL);
  g_autoptr(GError) error = NULL;
  SabanCapAlert a = { 0 };
  g_autofree char *headline = NULL, *description = NULL, *area = NULL;

  if (st == NULL)
    return;
  sqlite3_bind_int64 (st, 1, obs);
  if (sqlite3_step (st) != SQLITE_ROW || sqlite3_column_type (st, 5) == SQLITE_NULL)
    return;
  headline = g_strdup_printf ("Mực nước vượt mức nguy hiểm tại %s", (const char *) sqlite3_column_text (st, 3));
  description = g_strdup_printf ("%s: %.2f m, vượt mức nguy hiểm %.2f m (dữ liệu minh hoạ). Datastream %"
                                 G_GINT64_FORMAT ".", (const char *) sqlite3_column_text (st, 1),
                                 sqlite3_column_double (st, 0), sqlite3_column_double (st, 2),
                                 (gint64) sqlite3_column_int64 (st, 7));
  area = g_strdup_printf ("Vùng ven sông quanh %s (mã xã %s)", (const char *) sqlite3_column_text (st, 3),
                          sqlite3_column_text (st, 4) ? (const char *) sqlite3_column_text (st, 4) : "?");
  /* a simulated gauge raises an exercise, never an actual alert */
  a.status = sqlite3_column_int (st, 8) ? "Exercise" : "Actual";
  a.category = "Met";
  a.event = "Lũ, ngập lụt";
  a.urgency = "Immediate";
  a.severity = "Severe";
  a.certainty = "Observed";
  a.headline = headline;
  a.description = description;
  a.instruction = "Sơ tán người dân khỏi vùng trũng thấp ven sông; không qua ngầm, tràn.";
  a.area_desc = area;
  saban_cap_circle (a.polygon, sqlite3_column_double (st, 5), sqlite3_column_double (st, 6), 3000);
  a.n_points = SABAN_CAP_CIRCLE_POINTS;
  if (saban_cap_create (server, &a, "simulator", NULL, &error) == 0)
    g_warning ("CAP alert for observation %" G_GINT64_FORMAT ": %s", obs, error->message);
}

/**
 * saban_sta_observation_committed:
 * What follows an observation's COMMIT: its MQTT message, and a CAP alert
 * when it crossed a danger level.
 */
void
saban_sta_observation_committed (SabanServer *server, gint64 id, SabanStaCrossing crossing)
{
  g_autoptr(sqlite3_stmt) st = saban_store_prepare (saban_server_get_store (server),
                                                    "SELECT datastream_id FROM sta_observations WHERE id = ?", NULL);

  if (st == NULL)
    return;
  sqlite3_bind_int64 (st, 1, id);
  if (sqlite3_step (st) == SQLITE_ROW)
    {
      g_autofree char *topic = g_strdup_printf ("v1.1/Datastreams(%" G_GINT64_FORMAT ")/Observations",
                                                (gint64) sqlite3_column_int64 (st, 0));
      saban_sta_publish_entity (server, "Observations", id, topic);
    }
  if (crossing == SABAN_STA_CROSSED_DANGER)
    raise_danger_alert (server, id);
}

static gint64
member_id (JsonObject *o, const char *name)
{
  JsonObject *ref;

  if (!json_object_has_member (o, name) || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, name)))
    return -1;
  ref = json_object_get_object_member (o, name);
  if (!json_object_has_member (ref, "@iot.id"))
    return -1;
  {
    JsonNode *n = json_object_get_member (ref, "@iot.id");
    if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
      return json_node_get_int (n);
  }
  return -1;
}

static void
sta_post (SabanRequest *req, gpointer data)
{
  static const char *const roles[] = { "operator", "coordinator", NULL };
  g_auto(GStrv) segs = split_rest (req->params[0]);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *time = NULL, *base = NULL, *location = NULL;
  SabanStore *store = saban_server_get_store (req->server);
  JsonObject *o;
  JsonNode *result;
  gint64 ds = -1, id = 0;
  SabanStaCrossing crossing;
  Target t;

  if (segs[0] == NULL)
    {
      saban_request_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "POST an Observation");
      return;
    }
  if (!resolve_path (req, segs, &t))
    return;
  if (t.set != OBSERVATIONS || t.id > 0 || (t.nav != NULL && t.nav->target != OBSERVATIONS))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Allow", "GET");
      saban_request_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                           "only Observations can be created here");
      return;
    }
  if (!saban_request_require_role (req, "create observations", roles))
    return;
  if ((root = saban_request_parse_json (req)) == NULL)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-entity", "an Observation is a JSON object");
      return;
    }
  o = json_node_get_object (root);
  if (t.nav != NULL)
    ds = t.parent;
  else
    ds = member_id (o, "Datastream");
  if (ds <= 0 || !entity_exists (store, DATASTREAMS, ds, NULL, 0))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-entity",
                           "an Observation needs an existing Datastream: {\"Datastream\":{\"@iot.id\":N}}");
      return;
    }
  result = json_object_has_member (o, "result") ? json_object_get_member (o, "result") : NULL;
  if (result == NULL || !JSON_NODE_HOLDS_VALUE (result) ||
      (json_node_get_value_type (result) != G_TYPE_DOUBLE && json_node_get_value_type (result) != G_TYPE_INT64) ||
      !isfinite (json_node_get_double (result)))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-entity", "result must be a finite number");
      return;
    }
  if (json_object_has_member (o, "phenomenonTime"))
    {
      JsonNode *pt = json_object_get_member (o, "phenomenonTime");

      if (!JSON_NODE_HOLDS_VALUE (pt) || json_node_get_value_type (pt) != G_TYPE_STRING ||
          (time = saban_normalise_time (json_node_get_string (pt), FALSE)) == NULL)
        {
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-entity", "phenomenonTime must be an ISO 8601 time");
          return;
        }
    }
  if (!saban_store_begin (store, &error) ||
      !saban_sta_insert_observation (store, ds, time, json_node_get_double (result), &id, &crossing, &error))
    goto fail;
  {
    g_autofree char *target = g_strdup_printf ("v1.1/Observations(%" G_GINT64_FORMAT ")", id);
    if (!saban_store_audit (store, req->user, "create", target, NULL, &error))
      goto fail;
  }
  if (!saban_store_commit (store, &error))
    goto fail;
  saban_sta_observation_committed (req->server, id, crossing);

  base = saban_request_base_url (req);
  location = g_strdup_printf ("%s/v1.1/Observations(%" G_GINT64_FORMAT ")", base, id);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Location", location);
  {
    g_autoptr(JsonNode) node = entity_node (req->server, OBSERVATIONS, id, base);
    saban_request_reply_json (req, SOUP_STATUS_CREATED, NULL, node);
  }
  return;
fail:
  saban_store_rollback (store);
  saban_request_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "store-error", "%s", error->message);
}

/**
 * saban_sta_register:
 * GET /v1.1/…, POST /v1.1/Observations and /v1.1/Datastreams(id)/Observations.
 */
/**
 * saban_sta_set_snapshot_func:
 * Who draws cameras' snapshot.png; none by default.
 */
void
saban_sta_set_snapshot_func (SabanStaSnapshotFunc func)
{
  snapshot_func = func;
}

void
saban_sta_register (SabanServer *server)
{
  SabanRouter *router = saban_server_get_router (server);

  sqlite3_create_function_v2 (saban_store_get_db (saban_server_get_store (server)), "saban_in_polygon", 3,
                              SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_in_polygon, NULL, NULL, NULL);
  saban_router_add (router, "GET", "/v1.1", sta_index, NULL);
  saban_router_add (router, "GET", "/v1.1/**", sta_get, NULL);
  saban_router_add (router, "POST", "/v1.1/**", sta_post, NULL);
}
