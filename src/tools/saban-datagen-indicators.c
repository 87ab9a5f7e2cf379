/* saban-datagen-indicators.c — the demo's socio-economic indicators
 *
 * Thirty indicators of the fields the provincial IOC guidance names, monthly
 * for 24 months up to a given month, for every commune, written as the CSV
 * pair `saban-server import-indicators` (and `--demo`) reads. Synthetic and
 * labelled so in their source. Levels are scaled to the communes' populations
 * and to a mountainous border province: Sa Pa and the old district towns draw
 * the tourists, Lào Cai ward the border trade, the high communes the poverty;
 * seasons follow the harvests, the dry-season burning and Tết. A few
 * indicators stop months early, so the desk has late data to show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "saban-datagen-indicators.h"
#include "saban-datagen-places.h"
#include "saban-datagen-rng.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#define SOURCE "Dữ liệu minh họa tổng hợp"

typedef enum
{
  MODEL_POPULATION,  /* the commune's population, growing slowly */
  MODEL_FLOW,        /* per 1 000 people a month, times hotspots and season */
  MODEL_RATE,        /* a level (%, days) per commune, drifting */
  MODEL_EVENTS,      /* Poisson counts per 1 000 people a month */
} Model;

typedef struct
{
  const char *code, *name, *unit, *sector, *agency, *aggregate;
  gboolean    higher;
  double      target, warning;  /* NAN: none */
  Model       model;
  double      urban, rural;     /* a ward's and a commune's level */
  double      spread;           /* between communes: points (rates), relative (flows) */
  double      trend;            /* a year's change: points (rates), relative (flows, events) */
  double      max;              /* rates are clamped to [0, max] */
  int         decimals;
  int         late;             /* months before the last the data stops */
  double      province;         /* the department's own province figure: the aggregate × this; 0 = none */
  const char *hotspots;         /* "code:factor;…" */
  double      season[12];
} Definition;

#define FLAT { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }
#define NONE NAN

static const char *const SOCIAL = "Dân số – Lao động – Xã hội";
static const char *const HEALTH = "Y tế – Giáo dục";
static const char *const ECONOMY = "Kinh tế – Tài chính";
static const char *const TOURISM = "Du lịch";
static const char *const NATURE = "Nông nghiệp – Tài nguyên – Môi trường";
static const char *const ADMIN = "Cải cách hành chính – Chuyển đổi số";
static const char *const SAFETY = "An ninh – Trật tự";

static const char *const TOURIST_PLACES = "03013:30;03019:12;03016:10;03022:8;02689:8;02845:7;02602:4;04480:8;04249:2";
static const char *const BORDER_GATES = "02602:400;02680:60;02752:50;02755:30;02761:20";

static const Definition definitions[] = {
  { "DAN_SO", "Dân số trung bình", "người", SOCIAL, "Thống kê tỉnh Lào Cai", "sum", TRUE, NONE, NONE,
    MODEL_POPULATION, 0, 0, 0, 0.009, 0, 0, 0, 0, NULL, FLAT },
  { "HO_NGHEO", "Tỷ lệ hộ nghèo", "%", SOCIAL, "Sở Nông nghiệp và Môi trường", "weighted", FALSE, 9.0, 10,
    MODEL_RATE, 1.5, 14, 7, -1.5, 60, 1, 0, 0, NULL, FLAT },
  { "VIEC_LAM_MOI", "Số lao động được tạo việc làm mới", "người", SOCIAL, "Sở Nội vụ", "sum", TRUE, 1800, 1600,
    MODEL_FLOW, 1.4, 1.1, 0.3, 0.05, 0, 0, 0, 0, NULL, { 0.6, 0.7, 1.1, 1.1, 1.0, 1, 1, 1, 1.1, 1.1, 1.1, 1.2 } },
  { "BHYT", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", HEALTH, "Bảo hiểm xã hội tỉnh", "weighted", TRUE, 95, 93,
    MODEL_RATE, 97.5, 94.2, 3, 0.8, 100, 1, 0, 0, NULL, FLAT },
  { "TIEM_CHUNG", "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ", "%", HEALTH, "Sở Y tế", "weighted", TRUE, 95,
    93, MODEL_RATE, 97.5, 93.5, 3, 0.5, 100, 1, 0, 0, NULL, FLAT },
  { "NHAP_HOC", "Tỷ lệ trẻ em 6–14 tuổi đến trường", "%", HEALTH, "Sở Giáo dục và Đào tạo", "weighted", TRUE, 99,
    98, MODEL_RATE, 99.6, 98.4, 1, 0.2, 100, 1, 0, 0, NULL, FLAT },
  { "NUOC_SACH", "Tỷ lệ dân số nông thôn dùng nước sạch", "%", HEALTH, "Sở Nông nghiệp và Môi trường", "weighted",
    TRUE, 85, 80, MODEL_RATE, 98, 78, 8, 1.5, 100, 1, 4, 0, NULL, FLAT },
  { "TANG_TRUONG_GRDP", "Tốc độ tăng trưởng kinh tế (GRDP, ước so cùng kỳ)", "%", ECONOMY, "Sở Tài chính",
    "weighted", TRUE, 9.0, 8, MODEL_RATE, 9.5, 8.2, 1.2, 0, 30, 2, 0, 1.01, NULL, FLAT },
  { "THU_NGAN_SACH", "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", ECONOMY, "Sở Tài chính", "sum", TRUE, 1050,
    900, MODEL_FLOW, 1.0, 0.22, 0.25, 0.10, 0, 1, 0, 1.45, NULL,
    { 1.1, 0.8, 0.9, 1.0, 0.95, 1.0, 0.95, 0.9, 0.95, 1.0, 1.05, 1.4 } },
  { "GIAI_NGAN_DTC", "Giải ngân vốn đầu tư công so với tiến độ kế hoạch", "%", ECONOMY, "Sở Tài chính", "mean",
    TRUE, 100, 90, MODEL_RATE, 96, 92, 8, 3, 150, 1, 0, 0, NULL, FLAT },
  { "CHI_SO_SXCN", "Chỉ số sản xuất công nghiệp so cùng kỳ", "%", ECONOMY, "Sở Công Thương", "mean", TRUE, 110,
    105, MODEL_RATE, 110, 107, 4, 0, 200, 1, 0, 0, NULL, FLAT },
  { "XUAT_NHAP_KHAU", "Kim ngạch xuất nhập khẩu qua các cửa khẩu", "triệu USD", ECONOMY, "Sở Công Thương", "sum",
    TRUE, 330, 290, MODEL_FLOW, 0.02, 0.005, 0.2, 0.08, 0, 1, 0, 0, BORDER_GATES,
    { 0.8, 0.7, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.15, 1.3 } },
  { "DOANH_NGHIEP_MOI", "Số doanh nghiệp thành lập mới", "doanh nghiệp", ECONOMY, "Sở Tài chính", "sum", TRUE, 120,
    100, MODEL_EVENTS, 0.15, 0.03, 0, 0.06, 0, 0, 0, 0, NULL, { 0.6, 0.7, 1.2, 1.1, 1, 1, 1, 1, 1, 1.1, 1.1, 1.2 } },
  { "BAN_LE", "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "tỷ đồng", ECONOMY, "Sở Công Thương",
    "sum", TRUE, 4200, 3900, MODEL_FLOW, 5.0, 1.8, 0.2, 0.09, 0, 1, 0, 0, NULL,
    { 1.25, 1.15, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 1.0, 1.0, 1.1 } },
  { "KHACH_DU_LICH", "Tổng lượt khách du lịch", "lượt", TOURISM, "Sở Văn hóa, Thể thao và Du lịch", "sum", TRUE,
    850000, 750000, MODEL_FLOW, 600, 200, 0.3, 0.12, 0, 0, 0, 0, TOURIST_PLACES,
    { 1.3, 1.4, 0.9, 0.8, 0.9, 1.1, 1.2, 1.0, 1.1, 1.0, 0.7, 0.7 } },
  { "DOANH_THU_DU_LICH", "Tổng thu từ khách du lịch", "tỷ đồng", TOURISM, "Sở Văn hóa, Thể thao và Du lịch", "sum",
    TRUE, 2700, 2400, MODEL_FLOW, 2.0, 0.65, 0.3, 0.15, 0, 1, 0, 0, TOURIST_PLACES,
    { 1.3, 1.4, 0.9, 0.8, 0.9, 1.1, 1.2, 1.0, 1.1, 1.0, 0.7, 0.7 } },
  { "SAN_LUONG_LUA", "Sản lượng lúa thu hoạch", "tấn", NATURE, "Sở Nông nghiệp và Môi trường", "sum", TRUE, NONE,
    NONE, MODEL_FLOW, 2, 15, 0.3, 0.01, 0, 0, 0, 0, NULL,
    { 0.05, 0.05, 0.05, 0.05, 0.05, 3.0, 0.5, 0.2, 2.5, 4.5, 1.0, 0.05 } },
  { "TRONG_RUNG", "Diện tích trồng rừng mới", "ha", NATURE, "Sở Nông nghiệp và Môi trường", "sum", TRUE, NONE, NONE,
    MODEL_FLOW, 0.02, 0.5, 0.5, 0.05, 0, 1, 0, 0, NULL,
    { 0.1, 0.2, 0.5, 1.5, 2.5, 3.0, 2.5, 1.2, 0.3, 0.1, 0.05, 0.05 } },
  { "CHE_PHU_RUNG", "Tỷ lệ che phủ rừng", "%", NATURE, "Sở Nông nghiệp và Môi trường", "mean", TRUE, 60.5, 59.5,
    MODEL_RATE, 25, 63, 12, 0.4, 95, 1, 0, 0, NULL, FLAT },
  { "NGAY_KHONG_KHI_TOT", "Số ngày chất lượng không khí tốt (AQI ≤ 50)", "ngày", NATURE,
    "Sở Nông nghiệp và Môi trường", "mean", TRUE, 20, 17, MODEL_RATE, 17, 24, 3, 0.3, 30, 1, 0, 0, NULL,
    { 0.7, 0.7, 0.6, 0.75, 1.1, 1.2, 1.25, 1.25, 1.2, 1.1, 0.95, 0.8 } },
  { "THU_GOM_RAC", "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý", "%", NATURE,
    "Sở Nông nghiệp và Môi trường", "weighted", TRUE, 90, 85, MODEL_RATE, 98, 72, 10, 2, 100, 1, 0, 0, NULL, FLAT },
  { "CAP_GCN", "Số giấy chứng nhận quyền sử dụng đất được cấp", "giấy", NATURE, "Sở Nông nghiệp và Môi trường",
    "sum", TRUE, 1500, 1300, MODEL_EVENTS, 1.5, 0.9, 0, 0.05, 0, 0, 3, 0, NULL, FLAT },
  { "TTHC_DUNG_HAN", "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn", "%", ADMIN, "Văn phòng UBND tỉnh", "mean",
    TRUE, 98, 95, MODEL_RATE, 99.5, 98.3, 1.2, 0.3, 100, 1, 0, 0, NULL, FLAT },
  { "DVC_TOAN_TRINH", "Tỷ lệ hồ sơ trực tuyến toàn trình", "%", ADMIN, "Sở Khoa học và Công nghệ", "mean", TRUE, 80,
    70, MODEL_RATE, 78, 62, 10, 8, 100, 1, 0, 0, NULL, FLAT },
  { "HO_SO_SO_HOA", "Tỷ lệ hồ sơ thủ tục hành chính được số hóa", "%", ADMIN, "Văn phòng UBND tỉnh", "mean", TRUE,
    90, 80, MODEL_RATE, 88, 70, 10, 6, 100, 1, 0, 0, NULL, FLAT },
  { "PHAN_ANH_XU_LY", "Tỷ lệ phản ánh, kiến nghị của người dân được xử lý", "%", ADMIN,
    "Trung tâm Giám sát, điều hành thông minh", "mean", TRUE, 95, 90, MODEL_RATE, 96, 91, 5, 1, 100, 1, 0, 0, NULL,
    FLAT },
  { "KHIEU_NAI", "Tỷ lệ đơn khiếu nại, tố cáo được giải quyết", "%", ADMIN, "Thanh tra tỉnh", "mean", TRUE, 90,
    85, MODEL_RATE, 92, 86, 7, 1, 100, 1, 3, 0, NULL, FLAT },
  { "TAI_NAN_GIAO_THONG", "Số vụ tai nạn giao thông", "vụ", SAFETY, "Công an tỉnh", "sum", FALSE, 25, 30,
    MODEL_EVENTS, 0.02, 0.013, 0, -0.05, 0, 0, 0, 0, NULL,
    { 1.4, 1.3, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 0.9, 0.9, 0.9, 1.0 } },
  { "NGUOI_CHET_TNGT", "Số người chết do tai nạn giao thông", "người", SAFETY, "Công an tỉnh", "sum", FALSE, 12, 15,
    MODEL_EVENTS, 0.009, 0.008, 0, -0.05, 0, 0, 0, 0, NULL,
    { 1.4, 1.3, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 0.9, 0.9, 0.9, 1.0 } },
  { "VU_CHAY", "Số vụ cháy", "vụ", SAFETY, "Công an tỉnh", "sum", FALSE, 8, 12, MODEL_EVENTS, 0.006, 0.005, 0, 0,
    0, 0, 0, 0, NULL, { 1.8, 1.9, 1.7, 1.2, 0.6, 0.5, 0.4, 0.4, 0.5, 0.7, 1.0, 1.3 } },
};

/* ---- writing CSV ---------------------------------------------------------------- */

/* RFC 4180: a field with a comma, a quote or a line break goes in quotes. */
static void
put_field (GString    *out,
           const char *text,
           gboolean    last)
{
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, text);
  g_string_append (out, last ? "\r\n" : ",");
}

static void
put_number (GString *out,
            double   value,
            int      decimals,
            gboolean last)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE], format[8];

  if (isnan (value))
    {
      put_field (out, "", last);
      return;
    }
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  put_field (out, g_ascii_formatd (buf, sizeof buf, format, value), last);
}

static void
write_definitions (GString *out)
{
  g_string_append (out, "code,name,unit,sector,agency,period,aggregate,higher_is_better,target,source,warning\r\n");
  for (guint k = 0; k < G_N_ELEMENTS (definitions); k++)
    {
      const Definition *d = &definitions[k];

      put_field (out, d->code, FALSE);
      put_field (out, d->name, FALSE);
      put_field (out, d->unit, FALSE);
      put_field (out, d->sector, FALSE);
      put_field (out, d->agency, FALSE);
      put_field (out, "month", FALSE);
      put_field (out, d->aggregate, FALSE);
      put_field (out, d->higher ? "true" : "false", FALSE);
      put_number (out, d->target, 1, FALSE);
      put_field (out, SOURCE, FALSE);
      put_number (out, d->warning, 1, TRUE);
    }
}

/* ---- the values --------------------------------------------------------------------- */

static double
hotspot (const char *list,
         const char *code)
{
  g_auto(GStrv) entries = list != NULL ? g_strsplit (list, ";", -1) : NULL;

  for (guint i = 0; entries != NULL && entries[i] != NULL; i++)
    if (g_str_has_prefix (entries[i], code) && entries[i][strlen (code)] == ':')
      return g_ascii_strtod (entries[i] + strlen (code) + 1, NULL);
  return 1;
}

static double
poisson (Rng   *r,
         double lambda)
{
  double l = exp (-lambda), p = 1;
  int k = 0;

  if (lambda > 30)
    {
      double v = round (lambda + sqrt (lambda) * rng_normal (r));

      return MAX (0, v);
    }
  do
    {
      k++;
      p *= rng_uniform (r);
    }
  while (p > l);
  return k - 1;
}

/* One commune's value in a month: @years before the last month (≤ 0), @month 0–11. */
static double
value_at (const Definition *d,
          Rng              *r,
          double            level,
          double            population,
          double            years,
          int               month)
{
  double season = d->season[month];

  switch (d->model)
    {
    case MODEL_POPULATION:
      return round (population * (1 + d->trend * years));
    case MODEL_EVENTS:
      return poisson (r, MAX (0, level * population / 1000 * season * (1 + d->trend * years)));
    case MODEL_FLOW:
      {
        double v = level * population / 1000 * season * (1 + d->trend * years) * (1 + 0.08 * rng_normal (r));

        return MAX (0, v);
      }
    case MODEL_RATE:
    default:
      {
        /* CLAMP evaluates its argument more than once: draw first */
        double v = (level + d->trend * years) * season + 0.15 * d->spread * rng_normal (r);

        return CLAMP (v, 0, d->max);
      }
    }
}

/* The commune's own level, drawn once: rates spread in points, flows in ratio. */
static double
commune_level (const Definition *d,
               Rng              *r,
               guint             commune)
{
  const SabanPlaceCommune *place = &saban_place_communes[commune];
  double base = place->ward ? d->urban : d->rural;

  if (d->model == MODEL_RATE)
    {
      double v = base + d->spread * rng_normal (r);

      return CLAMP (v, 0, d->max);
    }
  return base * hotspot (d->hotspots, place->code) * exp (d->spread * rng_normal (r) - d->spread * d->spread / 2);
}

static double
round_to (double value,
          int    decimals)
{
  double f = pow (10, decimals);

  return round (value * f) / f;
}

static void
put_value (GString    *out,
           const char *code,
           const char *place,
           const char *period,
           double      value,
           int         decimals)
{
  put_field (out, code, FALSE);
  put_field (out, place, FALSE);
  put_field (out, period, FALSE);
  put_number (out, value, decimals, TRUE);
}

static void
write_indicator (GString          *out,
                 const Definition *d,
                 guint             k,
                 guint64           seed,
                 const gint64     *populations,
                 int               last)
{
  g_autofree double *levels = g_new (double, saban_place_n_communes);
  double weights = 0;

  for (guint i = 0; i < saban_place_n_communes; i++)
    {
      Rng r = rng_stream (seed, 1000 + k * 1000 + i);

      levels[i] = commune_level (d, &r, i);
      weights += populations[i];
    }
  for (int m = last - SABAN_DATAGEN_INDICATOR_MONTHS + 1; m <= last - d->late; m++)
    {
      g_autofree char *period = g_strdup_printf ("%04d-%02d", m / 12, m % 12 + 1);
      double sum = 0, weighted = 0;

      for (guint i = 0; i < saban_place_n_communes; i++)
        {
          Rng r = rng_stream (seed ^ (guint64) m, 1000 + k * 1000 + i);
          double v = round_to (value_at (d, &r, levels[i], populations[i], (m - last) / 12.0, m % 12), d->decimals);

          put_value (out, d->code, saban_place_communes[i].code, period, v, d->decimals);
          sum += v;
          weighted += v * populations[i];
        }
      if (d->province > 0)
        put_value (out, d->code, SABAN_PLACE_PROVINCE_CODE, period,
                   round_to (d->province * (g_str_equal (d->aggregate, "sum") ? sum : weighted / weights), d->decimals),
                   d->decimals);
    }
}

static gboolean
write_file (const char *dir,
            const char *name,
            GString    *text,
            GError    **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents (path, text->str, (gssize) text->len, error);
}

/**
 * saban_datagen_indicators:
 * @populations: the communes' populations, in saban_place_communes order
 * @year: @month: the last month with data (1–12)
 *
 * Writes DIR/indicator-definitions.csv and DIR/indicator-values.csv; the
 * same arguments give the same bytes.
 */
gboolean
saban_datagen_indicators (const char   *dir,
                          guint64       seed,
                          const gint64 *populations,
                          int           year,
                          int           month,
                          GError      **error)
{
  g_autoptr(GString) defs = g_string_new (NULL);
  g_autoptr(GString) values = g_string_sized_new (4 * 1024 * 1024);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot make “%s”: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  write_definitions (defs);
  g_string_append (values, "code,commune_code,period,value\r\n");
  for (guint k = 0; k < G_N_ELEMENTS (definitions); k++)
    write_indicator (values, &definitions[k], k, seed, populations, year * 12 + month - 1);
  return write_file (dir, SABAN_DATAGEN_DEFINITIONS_CSV, defs, error) &&
         write_file (dir, SABAN_DATAGEN_VALUES_CSV, values, error);
}
