/* saban-sta-query.c: the SensorThings entity model, and a request's query
 * options parsed, checked and compiled to SQL.
 *
 * Every entity set is described by a table below (properties → columns,
 * navigation links → SQL conditions), so paths, $filter, $orderby, $select
 * and $expand are interpreted once for all sets. $filter is compiled to SQL
 * whose only spliced text is column names from these tables and fixed
 * operators; every literal is a bound parameter. $expand is bounded twice:
 * in depth (navigation steps, however they are written) and in cost (the
 * most entities it could bring, from the $tops), before anything runs.
 *
 * Over a thousand lines: $filter, $orderby, $select and $expand are one grammar
 * compiled to one typed tree, whose type rules are what keep a mismatch a 400.
 */
#include "saban-sta-query.h"
#include "saban-ogc-features.h"

#include <libsoup/soup.h>
#include <math.h>

/* ---- the entity model -------------------------------------------------- */

const EntitySet saban_sta_sets[N_SETS] = {
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

int
saban_sta_find_set (const char *name)
{
  for (int i = 0; i < N_SETS; i++)
    if (g_str_equal (saban_sta_sets[i].name, name))
      return i;
  return -1;
}

const Prop *
saban_sta_find_prop (int set, const char *name)
{
  for (const Prop *p = saban_sta_sets[set].props; p->name != NULL; p++)
    if (g_str_equal (p->name, name))
      return p;
  return NULL;
}

const Nav *
saban_sta_find_nav (int set, const char *name)
{
  for (const Nav *n = saban_sta_sets[set].navs; n->name != NULL; n++)
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

typedef enum { BIND_NUMBER, BIND_INT, BIND_TEXT } BindKind;

typedef struct
{
  BindKind kind;
  double   num;
  gint64   id;
  char    *text;
} Bind;

static void
saban_sta_bind_free (gpointer data)
{
  Bind *b = data;

  g_free (b->text);
  g_free (b);
}

/* Values bound to an SQL statement's parameters, in order. */
GPtrArray *
saban_sta_binds_new (void)
{
  return g_ptr_array_new_with_free_func (saban_sta_bind_free);
}

static void
add_text (GPtrArray *binds, const char *text)
{
  Bind *b = g_new0 (Bind, 1);

  b->kind = BIND_TEXT;
  b->text = g_strdup (text);
  g_ptr_array_add (binds, b);
}

void
saban_sta_bind_number (GPtrArray *binds, double v)
{
  Bind *b = g_new0 (Bind, 1);

  b->kind = BIND_NUMBER;
  b->num = v;
  g_ptr_array_add (binds, b);
}

/* An entity id: bound as an integer, so the id columns' indexes serve it. */
void
saban_sta_bind_id (GPtrArray *binds, gint64 id)
{
  Bind *b = g_new0 (Bind, 1);

  b->kind = BIND_INT;
  b->id = id;
  g_ptr_array_add (binds, b);
}

void
saban_sta_bind_all (SabanStmt *st, GPtrArray *binds)
{
  for (guint i = 0; i < binds->len; i++)
    {
      Bind *b = g_ptr_array_index (binds, i);

      switch (b->kind)
        {
        case BIND_TEXT:
          saban_stmt_bind_text (st, (int) i + 1, b->text);
          break;
        case BIND_INT:
          saban_stmt_bind_int64 (st, (int) i + 1, b->id);
          break;
        case BIND_NUMBER:
          saban_stmt_bind_double (st, (int) i + 1, b->num);
          break;
        }
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

static char *
polygon_to_wkt (Polygon *p)
{
  GString *out = g_string_new ("POLYGON(");

  for (guint r = 0; r < p->rings->len; r++)
    {
      GArray *ring = g_array_index (p->rings, GArray *, r);
      const double *v = (const double *) ring->data;
      guint n = ring->len / 2;

      g_string_append (out, r ? ",(" : "(");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (out, "%s%.17g %.17g", i ? "," : "", v[2 * i], v[2 * i + 1]);
      if (v[0] != v[2 * (n - 1)] || v[1] != v[2 * (n - 1) + 1])
        g_string_append_printf (out, ",%.17g %.17g", v[0], v[1]);
      g_string_append_c (out, ')');
    }
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
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

void
saban_sta_sql_in_polygon (sqlite3_context *ctx, int argc, sqlite3_value **argv)
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
  int          set;
  const char  *alias;
  SabanDialect dialect;
  GPtrArray   *binds;
  int          depth;
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

/* The value at @path (identifiers only: it is spliced) inside the JSON column
 * @column: a JSON value in SQLite (json_extract gives SQL's own types), a
 * jsonb in PostgreSQL, where JSON null reads as SQL NULL too. */
static char *
json_sql (SabanDialect dialect, const char *alias, const char *column, char **parts)
{
  g_autoptr(GString) path = g_string_new (dialect == SABAN_DIALECT_SQLITE ? "$" : NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    if (dialect == SABAN_DIALECT_SQLITE)
      g_string_append_printf (path, ".%s", parts[i]);
    else
      g_string_append_printf (path, "%s%s", i ? "," : "", parts[i]);
  if (dialect == SABAN_DIALECT_SQLITE)
    return g_strdup_printf ("json_extract(%s.%s, '%s')", alias, column, path->str);
  return g_strdup_printf ("NULLIF(CAST(%s.%s AS jsonb) #> '{%s}', 'null')", alias, column, path->str);
}

/* A scalar property path of @set as an SQL expression on @alias, or NULL. */
static char *
prop_sql (int set, const char *alias, SabanDialect dialect, const char *path, Kind *kind, GError **error)
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
  if ((p = saban_sta_find_prop (set, parts[0])) != NULL)
    {
      if (p->kind == K_JSON)
        {
          /* the path is checked to be identifiers only, so it may be spliced */
          for (guint i = 1; parts[i] != NULL; i++)
            if (!is_ident (parts[i]))
              goto bad;
          *kind = K_JSON;
          return json_sql (dialect, alias, p->column, parts + 1);
        }
      if (parts[1] != NULL || p->kind == K_POINT || p->kind == K_CONST)
        goto bad;
      *kind = p->kind;
      return g_strdup_printf ("%s.%s", alias, p->column);
    }
  if ((nav = saban_sta_find_nav (set, parts[0])) != NULL && nav->single && parts[1] != NULL)
    {
      g_autofree char *rest = g_strjoinv ("/", parts + 1);
      g_autofree char *sub_alias = g_strdup_printf ("%s_", alias);
      g_autofree char *inner = prop_sql (nav->target, sub_alias, dialect, rest, kind, error);
      g_autofree char *parent = g_strdup_printf ("%s.id", alias);
      g_autofree char *where = NULL;

      if (inner == NULL)
        return NULL;
      where = g_strdup_printf (nav->where, sub_alias, parent);
      return g_strdup_printf ("(SELECT %s FROM %s %s WHERE %s)", inner, saban_sta_sets[nav->target].table, sub_alias, where);
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

/* A bound literal's SQL. PostgreSQL is told its type: it may stand where
 * nothing else says (inside to_jsonb(), say). */
static const char *
literal (Compile *c, FType type)
{
  if (c->dialect == SABAN_DIALECT_SQLITE)
    return "?";
  return type == F_NUM ? "CAST(? AS DOUBLE PRECISION)" : "CAST(? AS TEXT)";
}

/* PostgreSQL compares a JSON value only with another: the other side of a
 * comparison with one becomes JSON too (SQLite compares them as they are). */
static void
as_json (Compile *c, Expr *e)
{
  char *json;

  if (c->dialect == SABAN_DIALECT_SQLITE || e->type == F_JSON || e->type == F_NULL)
    return;
  json = g_strdup_printf ("to_jsonb(%s)", e->sql);
  g_free (e->sql);
  e->sql = json;
}

static gboolean compile_or (Lexer *lx, Compile *c, Expr *out, GError **error);
static gboolean compile_cmp (Lexer *lx, Compile *c, Expr *out, GError **error);

/* A property path as an operand; a location is a geometry, only for geo.intersects. */
static gboolean
compile_property (Lexer *lx, Compile *c, Expr *out, GError **error)
{
  Kind kind;
  const Prop *p = saban_sta_find_prop (c->set, lx->text);

  if (p != NULL && p->kind == K_POINT)
    {
      set_error (error, "$filter: %s is a geometry; compare it only with geo.intersects", lx->text);
      return FALSE;
    }
  out->sql = prop_sql (c->set, c->alias, c->dialect, lx->text, &kind, error);
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
      saban_sta_bind_number (c->binds, lx->num);
      out->sql = g_strdup (literal (c, F_NUM));
      out->type = F_NUM;
      break;
    case T_STRING:
      out->bind = c->binds->len;
      add_text (c->binds, lx->text);
      out->sql = g_strdup (literal (c, F_TEXT));
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
        out->sql = g_strdup (literal (c, F_TEXT));
        out->type = F_TIME;
      }
      break;
    case T_NAME:
      if (g_str_equal (lx->text, "true") || g_str_equal (lx->text, "false"))
        {
          out->sql = g_strdup (g_str_equal (lx->text, "true") ? "TRUE" : "FALSE");
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
      nav = saban_sta_find_nav (c->set, parts[0]);
      if (nav == NULL || parts[2] != NULL)
        {
          set_error (error, "geo.intersects: unknown property %s", path);
          return NULL;
        }
      target = nav->target;
    }
  p = saban_sta_find_prop (target, parts[nav ? 1 : 0]);
  if (p == NULL || p->kind != K_POINT)
    {
      set_error (error, "geo.intersects: %s is not a location of %s", path, saban_sta_sets[c->set].name);
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
  {
    /* written again with every ring closed, as PostGIS wants it */
    g_autofree char *wkt = polygon_to_wkt (poly);

    polygon_free (poly);
    add_text (c->binds, wkt);
  }
  if (nav == NULL)
    out = g_strdup_printf ("saban_in_polygon(%s.lon, %s.lat, ?)", c->alias, c->alias);
  else
    {
      g_autofree char *sub = g_strdup_printf ("%s_g", c->alias);
      g_autofree char *parent = g_strdup_printf ("%s.id", c->alias);
      g_autofree char *where = g_strdup_printf (nav->where, sub, parent);

      out = g_strdup_printf ("EXISTS (SELECT 1 FROM %s %s WHERE %s AND saban_in_polygon(%s.lon, %s.lat, ?))",
                             saban_sta_sets[target].table, sub, where, sub, sub);
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
  if (left.type == F_JSON || right.type == F_JSON)
    {
      as_json (c, &left);
      as_json (c, &right);
    }
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

/**
 * saban_sta_compile_filter:
 * @dialect: the SQL to write: SQLite's or PostgreSQL's
 *
 * $filter as an SQL condition on the rows of @set named @alias; its
 * literals are appended to @binds in order.
 */
char *
saban_sta_compile_filter (int set, const char *alias, const char *filter, SabanDialect dialect, GPtrArray *binds,
                          GError **error)
{
  Lexer lx = { filter, T_END, NULL, 0 };
  Compile c = { set, alias, dialect, binds, 0 };
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

void
saban_sta_query_free (Query *q)
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

  saban_sta_query_free (e->q);
  g_free (e);
}

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

static gboolean query_set_option_at (Query *q, const char *name, const char *value, int depth, GError **error);

static gboolean
parse_expand (Query *q, const char *value, int depth, GError **error)
{
  g_autoptr(GPtrArray) items = NULL;

  if (depth >= SABAN_STA_EXPAND_DEPTH_MAX)
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
          const Nav *nav = saban_sta_find_nav (parent->set, navs[k]);

          if (nav == NULL)
            {
              set_error (error, "%s has no navigation property %s", saban_sta_sets[parent->set].name, navs[k]);
              return FALSE;
            }
          e = NULL;
          for (guint j = 0; parent->expand != NULL && j < parent->expand->len; j++)
            if (((Expand *) g_ptr_array_index (parent->expand, j))->nav == nav)
              e = g_ptr_array_index (parent->expand, j);
          if (e == NULL)
            {
              if (k + depth >= SABAN_STA_EXPAND_DEPTH_MAX)
                {
                  set_error (error, "$expand is nested too deeply");
                  return FALSE;
                }
              e = g_new0 (Expand, 1);
              e->nav = nav;
              e->q = g_new0 (Query, 1);
              e->q->set = nav->target;
              e->q->top = SABAN_STA_TOP_DEFAULT;
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

              /* the options apply at the end of the path: as deep as its steps */
              if (eq == NULL || !query_set_option_at (parent, name, eq + 1, depth + g_strv_length (navs), error))
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
query_set_option_at (Query *q, const char *name, const char *value, int depth, GError **error)
{
  if (g_str_equal (name, "$top"))
    return parse_count (value, &q->top, SABAN_STA_TOP_MAX, name, error);
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
      g_autoptr(GPtrArray) probe = saban_sta_binds_new ();
      g_autofree char *sql = saban_sta_compile_filter (q->set, "e", value, SABAN_DIALECT_SQLITE, probe, error);

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
              saban_sta_find_prop (q->set, parts[i]) == NULL && saban_sta_find_nav (q->set, parts[i]) == NULL)
            {
              set_error (error, "%s has no property %s", saban_sta_sets[q->set].name, parts[i]);
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

char *
saban_sta_compile_orderby (const Query *q, SabanDialect dialect, GError **error)
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
          if ((expr = prop_sql (q->set, "e", dialect, words[0], &kind, error)) == NULL)
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

/* ---- a whole request ------------------------------------------------------------ */

/**
 * saban_sta_query_new:
 * What a request for @set asks when it gives no option.
 */
Query *
saban_sta_query_new (int set)
{
  Query *q = g_new0 (Query, 1);

  q->set = set;
  q->top = SABAN_STA_TOP_DEFAULT;
  return q;
}

/* The entities one entity of @q brings with it: itself and its expansions. */
static guint64
per_entity (const Query *q)
{
  guint64 n = 1;

  for (guint i = 0; q->expand != NULL && i < q->expand->len; i++)
    {
      Expand *e = g_ptr_array_index (q->expand, i);

      n += (e->nav->single ? 1 : (guint64) e->q->top) * per_entity (e->q);
      n = MIN (n, G_MAXUINT32);  /* far over any limit already; no overflow */
    }
  return n;
}

/**
 * saban_sta_query_cost:
 * The most entities @q can produce: its $top times what each entity brings
 * (itself, and per expansion that expansion's $top — one for a single
 * entity — times what each of those brings).
 */
guint64
saban_sta_query_cost (const Query *q)
{
  return (guint64) q->top * per_entity (q);
}

/* $orderby is checked where it applies, before anything runs */
static gboolean
check_orderby (const Query *q, GError **error)
{
  g_autofree char *sql = saban_sta_compile_orderby (q, SABAN_DIALECT_SQLITE, error);

  if (sql == NULL)
    return FALSE;
  for (guint i = 0; q->expand != NULL && i < q->expand->len; i++)
    if (!check_orderby (((Expand *) g_ptr_array_index (q->expand, i))->q, error))
      return FALSE;
  return TRUE;
}

/**
 * saban_sta_query_from_params:
 * @params: decoded query parameters (name → value); names without a `$`
 *   are not ours and are ignored, as OData has it
 * @one: the request names one entity (Things(1)): $top does not count
 *
 * The query a request asks of @set, every option parsed and compiled once
 * and its cost within SABAN_STA_MAX_ENTITIES; %NULL with a message for the
 * caller otherwise.
 */
Query *
saban_sta_query_from_params (int set, GHashTable *params, gboolean one, GError **error)
{
  g_autoptr(Query) q = saban_sta_query_new (set);
  GHashTableIter iter;
  gpointer k, v;
  guint64 cost;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (((const char *) k)[0] == '$' && !query_set_option_at (q, k, v, 0, error))
      return NULL;
  if (!check_orderby (q, error))
    return NULL;
  if ((cost = one ? per_entity (q) : saban_sta_query_cost (q)) > SABAN_STA_MAX_ENTITIES)
    {
      set_error (error, "this query could return %" G_GUINT64_FORMAT " entities ($top times each expansion's "
                 "$top); at most %d are served: lower $top, in $expand too", cost, SABAN_STA_MAX_ENTITIES);
      return NULL;
    }
  return g_steal_pointer (&q);
}

/**
 * saban_sta_query_parse:
 * @entity_set: "Things", "Observations" …
 * @query_string: the query of a URL, still form-encoded ("$top=5&$filter=…")
 *
 * Parses and compiles @query_string for @entity_set as a GET of it would:
 * the entry point for fuzzing the $filter, $orderby and $expand parsers.
 */
Query *
saban_sta_query_parse (const char *entity_set, const char *query_string, GError **error)
{
  int set = saban_sta_find_set (entity_set);
  g_autoptr(GHashTable) params = NULL;

  if (set < 0)
    {
      set_error (error, "no entity set %s", entity_set);
      return NULL;
    }
  params = soup_form_decode (query_string);
  return saban_sta_query_from_params (set, params, FALSE, error);
}
