/* saban_json_parse: the one door for JSON from outside. Valid JSON (RFC 8259)
 * parses; anything else is refused before json-glib sees it. The refused
 * cases marked "leak" made json-glib 1.6 leak what it had read (found by the
 * json fuzz target): under the sanitizer build's LeakSanitizer this test
 * fails without the check. */
#include "saban-json.h"

static const char *const valid[] = {
  "{\"a\":[1,2,{\"b\":null,\"c\":\"x\\u00e9\\ud83d\\ude00\\n\\/\"}],\"d\":-0.5e+3}",
  "[]", "{}", " [ { } , [ ] ] \n", "\"s\"", "0", "-1.5E-2", "true", "false", "null",
  "{\"a\":{\"a\":1}}",
};

static const char *const invalid[] = {
  "2{\"a\":{\"b\":1}}",                       /* leak: a tree after a scalar */
  "[\"\\ud800\\u0041\"]",                     /* leak: a high surrogate, then no low one */
  "[[[[[/[[/[[0]]]]]]]",                      /* leak: a bad token inside nested arrays */
  "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\uzzzz\"]", "[\"\\q\"]", "[\"a\tb\"]",
  "[1,]", "{\"a\"}", "{\"a\":1,}", "{,}", "[01]", "[1.]", "[.5]", "[+1]", "[1e]", "[tru]",
  "", "  ", "[[", "{\"a\":1}}", "[1]x", "\"a\"\"b\"", "{1:2}", "// c\n1", "'a'", "NaN",
};

static void
test_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = saban_json_parse (valid[i], -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

static void
test_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = saban_json_parse (invalid[i], -1, &error);

      g_test_message ("%s", invalid[i]);
      g_assert_null (node);
      g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
    }
}

static void
test_depth (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(JsonNode) at_limit = NULL;
  g_autoptr(JsonNode) over = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < SABAN_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < SABAN_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  at_limit = saban_json_parse (deep->str, deep->len, NULL);
  g_assert_nonnull (at_limit);
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  over = saban_json_parse (deep->str, deep->len, &error);
  g_assert_null (over);
  g_assert_nonnull (strstr (error->message, "deeper"));
}

static void
test_not_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = saban_json_parse ("[\"\xff\"]", -1, &error);

  g_assert_null (node);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/valid", test_valid);
  g_test_add_func ("/json/invalid", test_invalid);
  g_test_add_func ("/json/depth", test_depth);
  g_test_add_func ("/json/not-utf8", test_not_utf8);
  return g_test_run ();
}
