/* saban-datagen-places.c — the hand-drawn geography behind saban-datagen
 *
 * Positions are approximate, read off small-scale maps, and good enough for a
 * demonstration dataset; they are not survey data. Commune codes follow the
 * numbering pattern of the General Statistics Office lists but are illustrative.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "saban-datagen-places.h"

#define END { 0, 0 }

/* The 99 units of the province since 1 July 2025: 10 phường, 89 xã. The seed
 * points sit on each unit's centre (the old town or commune seat). */
const SabanPlaceCommune saban_place_communes[] = {
  { "02602", "Phường Lào Cai", TRUE, 103.975, 22.490 },
  { "02605", "Phường Cam Đường", TRUE, 104.020, 22.415 },
  { "02608", "Xã Cốc San", FALSE, 103.925, 22.430 },
  { "02611", "Xã Hợp Thành", FALSE, 103.990, 22.365 },
  { "02680", "Xã Bát Xát", FALSE, 103.890, 22.540 },
  { "02683", "Xã A Mú Sung", FALSE, 103.670, 22.750 },
  { "02686", "Xã Trịnh Tường", FALSE, 103.780, 22.670 },
  { "02689", "Xã Y Tý", FALSE, 103.620, 22.630 },
  { "02692", "Xã Dền Sáng", FALSE, 103.700, 22.585 },
  { "02695", "Xã Bản Xèo", FALSE, 103.820, 22.555 },
  { "02698", "Xã Mường Hum", FALSE, 103.720, 22.515 },
  { "02752", "Xã Mường Khương", FALSE, 104.125, 22.765 },
  { "02755", "Xã Pha Long", FALSE, 104.180, 22.815 },
  { "02758", "Xã Cao Sơn", FALSE, 104.160, 22.665 },
  { "02761", "Xã Bản Lầu", FALSE, 104.105, 22.610 },
  { "02800", "Xã Si Ma Cai", FALSE, 104.290, 22.700 },
  { "02803", "Xã Sín Chéng", FALSE, 104.255, 22.770 },
  { "02845", "Xã Bắc Hà", FALSE, 104.290, 22.540 },
  { "02848", "Xã Tả Củ Tỷ", FALSE, 104.220, 22.600 },
  { "02851", "Xã Lùng Phình", FALSE, 104.355, 22.625 },
  { "02854", "Xã Bản Liền", FALSE, 104.425, 22.440 },
  { "02857", "Xã Bảo Nhai", FALSE, 104.310, 22.460 },
  { "02860", "Xã Cốc Lầu", FALSE, 104.370, 22.530 },
  { "02905", "Xã Bảo Thắng", FALSE, 104.195, 22.330 },
  { "02908", "Xã Phong Hải", FALSE, 104.100, 22.505 },
  { "02911", "Xã Xuân Quang", FALSE, 104.225, 22.400 },
  { "02914", "Xã Gia Phú", FALSE, 104.120, 22.390 },
  { "02917", "Xã Tằng Loỏng", FALSE, 104.080, 22.300 },
  { "02965", "Xã Bảo Yên", FALSE, 104.470, 22.240 },
  { "02968", "Xã Nghĩa Đô", FALSE, 104.500, 22.360 },
  { "02971", "Xã Thượng Hà", FALSE, 104.560, 22.280 },
  { "02974", "Xã Xuân Hòa", FALSE, 104.410, 22.350 },
  { "02977", "Xã Phúc Khánh", FALSE, 104.580, 22.180 },
  { "02980", "Xã Bảo Hà", FALSE, 104.350, 22.170 },
  { "03013", "Phường Sa Pa", TRUE, 103.845, 22.335 },
  { "03016", "Xã Tả Phìn", FALSE, 103.840, 22.420 },
  { "03019", "Xã Tả Van", FALSE, 103.875, 22.290 },
  { "03022", "Xã Bản Hồ", FALSE, 103.940, 22.230 },
  { "03025", "Xã Mường Bo", FALSE, 103.970, 22.300 },
  { "03028", "Xã Ngũ Chỉ Sơn", FALSE, 103.790, 22.370 },
  { "03064", "Xã Văn Bàn", FALSE, 104.245, 22.070 },
  { "03067", "Xã Khánh Yên", FALSE, 104.170, 22.110 },
  { "03070", "Xã Võ Lao", FALSE, 104.325, 22.025 },
  { "03073", "Xã Dương Quỳ", FALSE, 104.090, 22.170 },
  { "03076", "Xã Chiềng Ken", FALSE, 104.250, 21.970 },
  { "03079", "Xã Minh Lương", FALSE, 104.020, 22.060 },
  { "03082", "Xã Nậm Chày", FALSE, 104.120, 21.960 },
  { "03085", "Xã Nậm Xé", FALSE, 104.060, 22.225 },
  { "04249", "Phường Yên Bái", TRUE, 104.885, 21.700 },
  { "04252", "Phường Nam Cường", TRUE, 104.855, 21.735 },
  { "04255", "Phường Văn Phú", TRUE, 104.935, 21.735 },
  { "04258", "Phường Âu Lâu", TRUE, 104.840, 21.690 },
  { "04261", "Xã Hợp Minh", FALSE, 104.910, 21.660 },
  { "04291", "Phường Nghĩa Lộ", TRUE, 104.513, 21.598 },
  { "04294", "Phường Trung Tâm", TRUE, 104.485, 21.620 },
  { "04297", "Phường Cầu Thia", TRUE, 104.545, 21.575 },
  { "04327", "Xã Lục Yên", FALSE, 104.770, 22.110 },
  { "04330", "Xã Khánh Hòa", FALSE, 104.660, 22.150 },
  { "04333", "Xã Lâm Thượng", FALSE, 104.720, 22.240 },
  { "04336", "Xã Tân Lĩnh", FALSE, 104.800, 22.030 },
  { "04339", "Xã Mường Lai", FALSE, 104.860, 22.160 },
  { "04342", "Xã Phúc Lợi", FALSE, 104.920, 22.060 },
  { "04399", "Xã Mậu A", FALSE, 104.680, 21.880 },
  { "04402", "Xã Đông Cuông", FALSE, 104.580, 21.980 },
  { "04405", "Xã Lâm Giang", FALSE, 104.550, 22.050 },
  { "04408", "Xã Châu Quế", FALSE, 104.480, 22.060 },
  { "04411", "Xã Xuân Ái", FALSE, 104.750, 21.900 },
  { "04414", "Xã Tân Hợp", FALSE, 104.600, 21.830 },
  { "04417", "Xã Mỏ Vàng", FALSE, 104.580, 21.750 },
  { "04420", "Xã Phong Dụ Thượng", FALSE, 104.440, 21.900 },
  { "04480", "Xã Mù Cang Chải", FALSE, 104.090, 21.850 },
  { "04483", "Xã Khao Mang", FALSE, 104.030, 21.930 },
  { "04486", "Xã Lao Chải", FALSE, 104.010, 21.830 },
  { "04489", "Xã Chế Tạo", FALSE, 104.020, 21.720 },
  { "04492", "Xã Púng Luông", FALSE, 104.180, 21.800 },
  { "04495", "Xã Nậm Có", FALSE, 104.220, 21.700 },
  { "04531", "Xã Trấn Yên", FALSE, 104.790, 21.780 },
  { "04534", "Xã Hưng Khánh", FALSE, 104.700, 21.650 },
  { "04537", "Xã Lương Thịnh", FALSE, 104.770, 21.600 },
  { "04540", "Xã Quy Mông", FALSE, 104.730, 21.790 },
  { "04543", "Xã Việt Hồng", FALSE, 104.810, 21.680 },
  { "04612", "Xã Trạm Tấu", FALSE, 104.360, 21.440 },
  { "04615", "Xã Hạnh Phúc", FALSE, 104.430, 21.500 },
  { "04618", "Xã Phình Hồ", FALSE, 104.300, 21.550 },
  { "04621", "Xã Tà Xi Láng", FALSE, 104.300, 21.400 },
  { "04645", "Xã Văn Chấn", FALSE, 104.600, 21.570 },
  { "04648", "Xã Thượng Bằng La", FALSE, 104.650, 21.430 },
  { "04651", "Xã Chấn Thịnh", FALSE, 104.700, 21.480 },
  { "04654", "Xã Nghĩa Tâm", FALSE, 104.670, 21.370 },
  { "04657", "Xã Cát Thịnh", FALSE, 104.550, 21.450 },
  { "04660", "Xã Sơn Lương", FALSE, 104.420, 21.680 },
  { "04663", "Xã Gia Hội", FALSE, 104.380, 21.720 },
  { "04666", "Xã Tú Lệ", FALSE, 104.330, 21.780 },
  { "04669", "Xã Liên Sơn", FALSE, 104.440, 21.580 },
  { "04744", "Xã Yên Bình", FALSE, 104.990, 21.700 },
  { "04747", "Xã Thác Bà", FALSE, 105.050, 21.750 },
  { "04750", "Xã Cảm Nhân", FALSE, 105.055, 21.870 },
  { "04753", "Xã Bảo Ái", FALSE, 104.900, 21.880 },
  { "04756", "Xã Yên Thành", FALSE, 105.050, 21.980 },
};
const guint saban_place_n_communes = G_N_ELEMENTS (saban_place_communes);

/* Clockwise from the Lai Châu–China tri-point west of Y Tý: the China border
 * (Hồng then Nậm Thi rivers) to Si Ma Cai, the old Hà Giang line down the east,
 * Tuyên Quang and Phú Thọ to the south-east, Sơn La and Lai Châu on the west. */
const SabanLonLat saban_place_province_outline[] = {
  { 103.530, 22.560 }, { 103.545, 22.640 }, { 103.580, 22.700 }, { 103.620, 22.745 },
  { 103.650, 22.795 }, { 103.700, 22.780 }, { 103.760, 22.730 }, { 103.820, 22.690 },
  { 103.870, 22.640 }, { 103.920, 22.580 }, { 103.955, 22.530 }, { 103.970, 22.505 },
  { 103.995, 22.520 }, { 104.030, 22.560 }, { 104.060, 22.620 }, { 104.080, 22.690 },
  { 104.075, 22.750 }, { 104.130, 22.810 }, { 104.180, 22.850 }, { 104.230, 22.830 },
  { 104.260, 22.800 }, { 104.300, 22.810 }, { 104.340, 22.780 }, { 104.370, 22.730 },
  { 104.390, 22.680 }, { 104.420, 22.620 }, { 104.460, 22.560 }, { 104.480, 22.490 },
  { 104.520, 22.430 }, { 104.580, 22.400 }, { 104.640, 22.350 }, { 104.700, 22.320 },
  { 104.780, 22.300 }, { 104.850, 22.260 }, { 104.920, 22.200 }, { 104.980, 22.130 },
  { 105.030, 22.060 }, { 105.090, 22.000 }, { 105.120, 21.920 }, { 105.110, 21.840 },
  { 105.120, 21.760 }, { 105.090, 21.680 }, { 105.030, 21.620 }, { 104.970, 21.580 },
  { 104.900, 21.540 }, { 104.840, 21.520 }, { 104.790, 21.460 }, { 104.740, 21.390 },
  { 104.690, 21.320 }, { 104.610, 21.300 }, { 104.520, 21.310 }, { 104.430, 21.330 },
  { 104.340, 21.320 }, { 104.250, 21.360 }, { 104.200, 21.440 }, { 104.160, 21.530 },
  { 104.100, 21.610 }, { 104.020, 21.650 }, { 103.950, 21.690 }, { 103.910, 21.760 },
  { 103.920, 21.840 }, { 103.950, 21.920 }, { 103.960, 21.990 }, { 103.950, 22.060 },
  { 103.970, 22.140 }, { 103.930, 22.190 }, { 103.880, 22.210 }, { 103.800, 22.250 },
  { 103.750, 22.290 }, { 103.740, 22.340 }, { 103.760, 22.390 }, { 103.700, 22.430 },
  { 103.640, 22.470 }, { 103.580, 22.510 },
  END
};

/* Thác Bà reservoir on the Sông Chảy, from Lục Yên down to the dam. */
const SabanLonLat saban_place_thac_ba_lake[] = {
  { 104.845, 22.080 }, { 104.880, 22.040 }, { 104.905, 22.010 }, { 104.935, 21.985 },
  { 104.950, 21.960 }, { 104.975, 21.935 }, { 104.985, 21.905 }, { 105.010, 21.880 },
  { 105.020, 21.850 }, { 105.035, 21.820 }, { 105.038, 21.795 }, { 105.030, 21.785 },
  { 105.015, 21.790 }, { 104.995, 21.805 }, { 104.985, 21.830 }, { 104.960, 21.850 },
  { 104.950, 21.875 }, { 104.935, 21.890 }, { 104.925, 21.915 }, { 104.905, 21.930 },
  { 104.900, 21.955 }, { 104.880, 21.975 }, { 104.865, 22.000 }, { 104.850, 22.030 },
  { 104.830, 22.060 },
  END
};

/* Control points, upstream first; the generator smooths them and adds meanders.
 * The half width of the two main rivers is kept free of parcels and becomes
 * SON land in the zoning layer. */
const SabanPlaceLine saban_place_rivers[] = {
  { "Sông Hồng", NULL, 150, (const SabanLonLat[]) {
      { 103.645, 22.800 }, { 103.680, 22.772 }, { 103.720, 22.745 }, { 103.765, 22.712 },
      { 103.812, 22.675 }, { 103.855, 22.627 }, { 103.898, 22.575 }, { 103.935, 22.530 },
      { 103.960, 22.500 }, { 103.990, 22.470 }, { 104.020, 22.440 }, { 104.060, 22.400 },
      { 104.110, 22.365 }, { 104.160, 22.340 }, { 104.200, 22.320 }, { 104.250, 22.270 },
      { 104.300, 22.215 }, { 104.350, 22.165 }, { 104.400, 22.120 }, { 104.450, 22.080 },
      { 104.510, 22.030 }, { 104.570, 21.975 }, { 104.630, 21.925 }, { 104.680, 21.880 },
      { 104.730, 21.835 }, { 104.790, 21.785 }, { 104.840, 21.745 }, { 104.875, 21.720 },
      { 104.910, 21.680 }, { 104.950, 21.630 }, { 104.990, 21.590 }, { 105.030, 21.550 },
      END } },
  { "Sông Chảy", NULL, 100, (const SabanLonLat[]) {
      { 104.370, 22.760 }, { 104.345, 22.720 }, { 104.350, 22.670 }, { 104.375, 22.620 },
      { 104.390, 22.575 }, { 104.385, 22.530 }, { 104.400, 22.480 }, { 104.460, 22.400 },
      { 104.520, 22.340 }, { 104.580, 22.300 }, { 104.630, 22.250 }, { 104.680, 22.200 },
      { 104.720, 22.160 }, { 104.760, 22.130 }, { 104.800, 22.100 }, { 104.835, 22.070 },
      { 104.875, 22.020 }, { 104.925, 21.955 }, { 104.965, 21.895 }, { 105.000, 21.835 },
      { 105.025, 21.790 }, { 105.045, 21.765 }, { 105.070, 21.740 }, { 105.100, 21.710 },
      { 105.140, 21.690 },
      END } },
  { "Sông Nậm Thi", NULL, 0, (const SabanLonLat[]) {
      { 104.095, 22.690 }, { 104.075, 22.620 }, { 104.045, 22.565 }, { 104.012, 22.522 },
      { 103.985, 22.498 },
      END } },
  { "Suối Mường Hoa", NULL, 0, (const SabanLonLat[]) {
      { 103.835, 22.335 }, { 103.860, 22.300 }, { 103.890, 22.275 }, { 103.930, 22.255 },
      END } },
  { "Ngòi Bo", NULL, 0, (const SabanLonLat[]) {
      { 103.930, 22.255 }, { 103.980, 22.270 }, { 104.030, 22.290 }, { 104.070, 22.315 },
      { 104.110, 22.345 }, { 104.140, 22.360 },
      END } },
  { "Ngòi Nhù", NULL, 0, (const SabanLonLat[]) {
      { 104.050, 22.080 }, { 104.120, 22.100 }, { 104.180, 22.100 }, { 104.240, 22.080 },
      { 104.290, 22.080 }, { 104.330, 22.120 }, { 104.370, 22.150 },
      END } },
  { "Ngòi Hút", NULL, 0, (const SabanLonLat[]) {
      { 104.380, 21.930 }, { 104.440, 21.920 }, { 104.500, 21.945 }, { 104.550, 21.965 },
      { 104.575, 21.975 },
      END } },
  { "Ngòi Thia", NULL, 0, (const SabanLonLat[]) {
      { 104.330, 21.760 }, { 104.400, 21.700 }, { 104.450, 21.645 }, { 104.500, 21.605 },
      { 104.540, 21.580 }, { 104.600, 21.565 }, { 104.660, 21.580 }, { 104.700, 21.630 },
      { 104.720, 21.690 }, { 104.740, 21.750 }, { 104.765, 21.810 },
      END } },
  { "Suối Nậm Kim", NULL, 0, (const SabanLonLat[]) {
      { 104.200, 21.780 }, { 104.150, 21.810 }, { 104.100, 21.845 }, { 104.050, 21.870 },
      { 104.000, 21.900 }, { 103.950, 21.930 },
      END } },
  { NULL, NULL, 0, NULL }
};

const SabanPlaceLine saban_place_roads[] = {
  { "Cao tốc Nội Bài – Lào Cai (CT.05)", "expressway", 0, (const SabanLonLat[]) {
      { 103.990, 22.470 }, { 104.030, 22.435 }, { 104.080, 22.395 }, { 104.140, 22.360 },
      { 104.200, 22.335 }, { 104.260, 22.290 }, { 104.320, 22.240 }, { 104.380, 22.200 },
      { 104.440, 22.150 }, { 104.490, 22.090 }, { 104.550, 22.035 }, { 104.610, 21.985 },
      { 104.670, 21.935 }, { 104.720, 21.890 }, { 104.780, 21.830 }, { 104.840, 21.780 },
      { 104.880, 21.745 }, { 104.930, 21.700 }, { 104.960, 21.660 }, { 105.000, 21.620 },
      { 105.050, 21.570 },
      END } },
  { "Quốc lộ 4D", "national", 0, (const SabanLonLat[]) {
      { 103.975, 22.490 }, { 103.950, 22.465 }, { 103.930, 22.440 }, { 103.905, 22.415 },
      { 103.885, 22.390 }, { 103.860, 22.360 }, { 103.845, 22.335 }, { 103.820, 22.345 },
      { 103.800, 22.360 }, { 103.775, 22.375 }, { 103.740, 22.385 },
      END } },
  { "Quốc lộ 4E", "national", 0, (const SabanLonLat[]) {
      { 103.990, 22.475 }, { 104.040, 22.440 }, { 104.090, 22.410 }, { 104.130, 22.370 },
      { 104.170, 22.345 }, { 104.195, 22.330 }, { 104.240, 22.310 }, { 104.280, 22.300 },
      END } },
  { "Quốc lộ 4", "national", 0, (const SabanLonLat[]) {
      { 103.990, 22.500 }, { 104.030, 22.550 }, { 104.080, 22.600 }, { 104.110, 22.670 },
      { 104.125, 22.765 }, { 104.170, 22.760 }, { 104.220, 22.740 }, { 104.290, 22.700 },
      { 104.340, 22.690 }, { 104.400, 22.700 },
      END } },
  { "Quốc lộ 70", "national", 0, (const SabanLonLat[]) {
      { 105.130, 21.700 }, { 105.050, 21.720 }, { 104.990, 21.720 }, { 104.950, 21.780 },
      { 104.920, 21.830 }, { 104.880, 21.880 }, { 104.830, 21.930 }, { 104.780, 21.990 },
      { 104.720, 22.050 }, { 104.650, 22.100 }, { 104.580, 22.160 }, { 104.520, 22.200 },
      { 104.470, 22.240 }, { 104.410, 22.270 }, { 104.350, 22.290 }, { 104.280, 22.300 },
      { 104.220, 22.320 }, { 104.170, 22.345 }, { 104.120, 22.380 }, { 104.070, 22.420 },
      { 104.020, 22.450 }, { 103.985, 22.480 },
      END } },
  { "Quốc lộ 279", "national", 0, (const SabanLonLat[]) {
      { 104.600, 22.420 }, { 104.550, 22.380 }, { 104.500, 22.330 }, { 104.480, 22.280 },
      { 104.470, 22.240 }, { 104.420, 22.200 }, { 104.360, 22.175 }, { 104.310, 22.130 },
      { 104.260, 22.085 }, { 104.200, 22.100 }, { 104.140, 22.110 }, { 104.080, 22.080 },
      { 104.030, 22.060 }, { 103.980, 22.050 }, { 103.930, 22.040 },
      END } },
  { "Quốc lộ 32", "national", 0, (const SabanLonLat[]) {
      { 104.820, 21.420 }, { 104.760, 21.460 }, { 104.700, 21.500 }, { 104.650, 21.540 },
      { 104.600, 21.570 }, { 104.555, 21.585 }, { 104.510, 21.600 }, { 104.460, 21.630 },
      { 104.400, 21.690 }, { 104.330, 21.775 }, { 104.270, 21.790 }, { 104.200, 21.810 },
      { 104.140, 21.830 }, { 104.090, 21.850 }, { 104.050, 21.880 }, { 104.000, 21.910 },
      { 103.950, 21.940 }, { 103.900, 21.960 },
      END } },
  { "Quốc lộ 37", "national", 0, (const SabanLonLat[]) {
      { 105.150, 21.700 }, { 105.090, 21.720 }, { 105.050, 21.735 }, { 105.000, 21.715 },
      { 104.950, 21.705 }, { 104.900, 21.700 }, { 104.870, 21.700 }, { 104.820, 21.670 },
      { 104.760, 21.630 }, { 104.700, 21.600 }, { 104.650, 21.585 }, { 104.600, 21.570 },
      END } },
  { "Tỉnh lộ 156", "provincial", 0, (const SabanLonLat[]) {
      { 103.975, 22.490 }, { 103.930, 22.520 }, { 103.890, 22.540 }, { 103.840, 22.560 },
      { 103.800, 22.580 }, { 103.760, 22.600 }, { 103.720, 22.610 }, { 103.680, 22.620 },
      { 103.620, 22.630 },
      END } },
  { "Tỉnh lộ 152", "provincial", 0, (const SabanLonLat[]) {
      { 103.845, 22.335 }, { 103.865, 22.310 }, { 103.875, 22.290 }, { 103.900, 22.265 },
      { 103.940, 22.230 },
      END } },
  { "Tỉnh lộ 153", "provincial", 0, (const SabanLonLat[]) {
      { 104.290, 22.540 }, { 104.300, 22.500 }, { 104.310, 22.460 }, { 104.300, 22.410 },
      { 104.280, 22.360 }, { 104.270, 22.310 },
      END } },
  { "Tỉnh lộ 171", "provincial", 0, (const SabanLonLat[]) {
      { 104.770, 22.110 }, { 104.750, 22.170 }, { 104.720, 22.240 }, { 104.700, 22.300 },
      END } },
  { "Tỉnh lộ 174", "provincial", 0, (const SabanLonLat[]) {
      { 104.510, 21.600 }, { 104.470, 21.560 }, { 104.430, 21.520 }, { 104.400, 21.480 },
      { 104.360, 21.440 },
      END } },
  { "Tỉnh lộ 163", "provincial", 0, (const SabanLonLat[]) {
      { 104.870, 21.740 }, { 104.820, 21.780 }, { 104.770, 21.830 }, { 104.750, 21.900 },
      END } },
  { NULL, NULL, 0, NULL }
};

const SabanPlacePoint saban_place_hospitals[] = {
  { "Bệnh viện Đa khoa tỉnh Lào Cai", "Bệnh viện", 800, 104.005, 22.440 },
  { "Bệnh viện Sản Nhi tỉnh Lào Cai", "Bệnh viện", 400, 103.985, 22.455 },
  { "Bệnh viện Y học cổ truyền tỉnh Lào Cai", "Bệnh viện", 200, 103.970, 22.478 },
  { "Bệnh viện Đa khoa Yên Bái", "Bệnh viện", 700, 104.882, 21.712 },
  { "Bệnh viện Sản Nhi Yên Bái", "Bệnh viện", 350, 104.870, 21.722 },
  { "Bệnh viện Đa khoa khu vực Nghĩa Lộ", "Bệnh viện", 300, 104.508, 21.603 },
  { "Bệnh viện Đa khoa khu vực Bắc Hà", "Bệnh viện", 150, 104.292, 22.536 },
  { "Trung tâm Y tế khu vực Sa Pa", "Trung tâm y tế", 150, 103.848, 22.332 },
  { "Trung tâm Y tế khu vực Bát Xát", "Trung tâm y tế", 120, 103.893, 22.537 },
  { "Trung tâm Y tế khu vực Mường Khương", "Trung tâm y tế", 100, 104.122, 22.762 },
  { "Trung tâm Y tế khu vực Si Ma Cai", "Trung tâm y tế", 80, 104.293, 22.697 },
  { "Trung tâm Y tế khu vực Bảo Thắng", "Trung tâm y tế", 150, 104.190, 22.334 },
  { "Trung tâm Y tế khu vực Bảo Yên", "Trung tâm y tế", 120, 104.472, 22.243 },
  { "Trung tâm Y tế khu vực Văn Bàn", "Trung tâm y tế", 130, 104.247, 22.073 },
  { "Trung tâm Y tế khu vực Văn Yên", "Trung tâm y tế", 150, 104.683, 21.883 },
  { "Trung tâm Y tế khu vực Lục Yên", "Trung tâm y tế", 150, 104.773, 22.113 },
  { "Trung tâm Y tế khu vực Yên Bình", "Trung tâm y tế", 140, 104.992, 21.703 },
  { "Trung tâm Y tế khu vực Trấn Yên", "Trung tâm y tế", 100, 104.792, 21.783 },
  { "Trung tâm Y tế khu vực Văn Chấn", "Trung tâm y tế", 120, 104.603, 21.573 },
  { "Trung tâm Y tế khu vực Mù Cang Chải", "Trung tâm y tế", 90, 104.093, 21.853 },
  { "Trung tâm Y tế khu vực Trạm Tấu", "Trung tâm y tế", 80, 104.362, 21.443 },
  { NULL, NULL, 0, 0, 0 }
};

const SabanPlacePoint saban_place_fire_stations[] = {
  { "Đội Cảnh sát PCCC và CNCH khu vực Lào Cai", NULL, 0, 103.980, 22.485 },
  { "Đội Cảnh sát PCCC và CNCH khu vực Cam Đường", NULL, 0, 104.025, 22.420 },
  { "Đội Cảnh sát PCCC và CNCH khu vực Sa Pa", NULL, 0, 103.850, 22.340 },
  { "Đội Cảnh sát PCCC và CNCH khu vực Bảo Thắng", NULL, 0, 104.185, 22.340 },
  { "Đội Cảnh sát PCCC và CNCH khu vực Bắc Hà", NULL, 0, 104.285, 22.545 },
  { "Đội Cảnh sát PCCC và CNCH khu vực Văn Bàn", NULL, 0, 104.240, 22.075 },
  { "Đội Cảnh sát PCCC và CNCH khu vực Yên Bái", NULL, 0, 104.880, 21.705 },
  { "Đội Cảnh sát PCCC và CNCH khu vực Nghĩa Lộ", NULL, 0, 104.515, 21.595 },
  { "Đội Cảnh sát PCCC và CNCH khu vực Lục Yên", NULL, 0, 104.765, 22.115 },
  { "Đội Cảnh sát PCCC và CNCH khu vực Mù Cang Chải", NULL, 0, 104.085, 21.855 },
  { NULL, NULL, 0, 0, 0 }
};

/* kind holds the river the gauge reads; the generator snaps the gauge onto it. */
const SabanPlacePoint saban_place_water_gauges[] = {
  { "Trạm thủy văn Lào Cai", "Sông Hồng", 0, 103.968, 22.500 },
  { "Trạm thủy văn Phố Lu", "Sông Hồng", 0, 104.200, 22.320 },
  { "Trạm thủy văn Bảo Hà", "Sông Hồng", 0, 104.350, 22.165 },
  { "Trạm thủy văn Mậu A", "Sông Hồng", 0, 104.680, 21.880 },
  { "Trạm thủy văn Yên Bái", "Sông Hồng", 0, 104.875, 21.720 },
  { "Trạm thủy văn Bảo Nhai", "Sông Chảy", 0, 104.390, 22.500 },
  { "Trạm thủy văn Long Phúc", "Sông Chảy", 0, 104.580, 22.300 },
  { "Trạm thủy văn Lục Yên", "Sông Chảy", 0, 104.790, 22.110 },
  { "Trạm thủy văn Thác Bà", "Sông Chảy", 0, 105.045, 21.765 },
  { "Trạm đo mực nước Ngòi Thia", "Ngòi Thia", 0, 104.540, 21.580 },
  { "Trạm đo mực nước Ngòi Bo", "Ngòi Bo", 0, 104.070, 22.315 },
  { "Trạm đo mực nước Khánh Yên", "Ngòi Nhù", 0, 104.240, 22.080 },
  { NULL, NULL, 0, 0, 0 }
};

const SabanPlacePoint saban_place_air_stations[] = {
  { "Trạm quan trắc không khí Lào Cai", NULL, 0, 103.978, 22.487 },
  { "Trạm quan trắc không khí Cam Đường", NULL, 0, 104.018, 22.418 },
  { "Trạm quan trắc không khí Sa Pa", NULL, 0, 103.843, 22.338 },
  { "Trạm quan trắc không khí KCN Tằng Loỏng", NULL, 0, 104.085, 22.305 },
  { "Trạm quan trắc không khí Yên Bái", NULL, 0, 104.887, 21.703 },
  { "Trạm quan trắc không khí Nam Cường", NULL, 0, 104.858, 21.737 },
  { "Trạm quan trắc không khí Nghĩa Lộ", NULL, 0, 104.512, 21.600 },
  { "Trạm quan trắc không khí Bắc Hà", NULL, 0, 104.288, 22.542 },
  { NULL, NULL, 0, 0, 0 }
};

const SabanPlacePoint saban_place_cameras[] = {
  { "Camera Cửa khẩu Quốc tế Lào Cai", NULL, 0, 103.968, 22.505 },
  { "Camera Cầu Cốc Lếu", NULL, 0, 103.972, 22.499 },
  { "Camera Ga Lào Cai", NULL, 0, 103.985, 22.493 },
  { "Camera Đại lộ Trần Hưng Đạo", NULL, 0, 104.010, 22.440 },
  { "Camera Nút giao cao tốc Lào Cai", NULL, 0, 104.030, 22.435 },
  { "Camera Quảng trường Sa Pa", NULL, 0, 103.844, 22.336 },
  { "Camera Đèo Ô Quy Hồ", NULL, 0, 103.775, 22.375 },
  { "Camera Cầu Phố Lu", NULL, 0, 104.198, 22.322 },
  { "Camera Nút giao cao tốc Bảo Yên", NULL, 0, 104.440, 22.150 },
  { "Camera Chợ Bắc Hà", NULL, 0, 104.291, 22.541 },
  { "Camera Cửa khẩu Mường Khương", NULL, 0, 104.130, 22.785 },
  { "Camera Cầu Yên Bái", NULL, 0, 104.878, 21.718 },
  { "Camera Nút giao cao tốc Yên Bái", NULL, 0, 104.905, 21.725 },
  { "Camera Ngã ba Cầu Thia", NULL, 0, 104.543, 21.577 },
  { "Camera Đèo Khau Phạ", NULL, 0, 104.265, 21.790 },
  { "Camera Đập thủy điện Thác Bà", NULL, 0, 105.030, 21.785 },
  { NULL, NULL, 0, 0, 0 }
};

const char * const saban_place_rain_communes[] = {
  "Xã Y Tý", "Xã A Mú Sung", "Xã Mường Hum", "Phường Sa Pa", "Xã Tả Van",
  "Xã Bản Hồ", "Xã Ngũ Chỉ Sơn", "Xã Pha Long", "Xã Si Ma Cai", "Xã Bắc Hà",
  "Xã Nậm Xé", "Xã Minh Lương", "Xã Phong Dụ Thượng", "Xã Mù Cang Chải", "Xã Lao Chải",
  "Xã Khao Mang", "Xã Púng Luông", "Xã Tú Lệ", "Xã Trạm Tấu", "Xã Tà Xi Láng",
  NULL
};

/* Communes with an upper-secondary school besides the wards, which all have one. */
const char * const saban_place_thpt_communes[] = {
  "Xã Bát Xát", "Xã Mường Khương", "Xã Si Ma Cai", "Xã Bắc Hà", "Xã Bảo Thắng",
  "Xã Bảo Yên", "Xã Văn Bàn", "Xã Mậu A", "Xã Lục Yên", "Xã Yên Bình",
  "Xã Trấn Yên", "Xã Văn Chấn", "Xã Mù Cang Chải", "Xã Trạm Tấu", "Xã Tằng Loỏng",
  "Xã Bảo Hà", "Xã Nghĩa Đô", "Xã Khánh Yên", "Xã Đông Cuông", "Xã Cảm Nhân",
  "Xã Thác Bà", "Xã Tú Lệ", "Xã Cát Thịnh", "Xã Y Tý", "Xã Phong Hải",
  "Xã Võ Lao", "Xã Hưng Khánh", "Xã Khánh Hòa", "Xã Bản Lầu",
  NULL
};

/* Hoàng Liên national park, Hoàng Liên – Văn Bàn, Mù Cang Chải and Bát Xát
 * reserves, Nà Hẩu. */
const SabanPlaceZone saban_place_special_use_forest[] = {
  { 103.800, 22.300, 10 }, { 104.020, 22.140, 8 }, { 103.980, 21.760, 9 },
  { 103.640, 22.570, 6 }, { 104.450, 21.850, 6 },
  { 0, 0, 0 }
};

const SabanPlaceZone saban_place_highlands[] = {
  { 103.600, 22.660, 12 }, { 103.800, 22.330, 15 }, { 104.300, 22.620, 12 },
  { 104.050, 21.820, 18 }, { 104.320, 21.420, 12 }, { 104.400, 21.900, 10 },
  { 104.020, 22.100, 12 },
  { 0, 0, 0 }
};

const SabanPlacePoint saban_place_industrial[] = {
  { "Khu công nghiệp Tằng Loỏng", NULL, 0, 104.085, 22.305 },
  { "Khu công nghiệp Đông Phố Mới", NULL, 0, 103.995, 22.470 },
  { "Khu công nghiệp Minh Quân", NULL, 0, 104.810, 21.760 },
  { "Khu công nghiệp Âu Lâu", NULL, 0, 104.830, 21.685 },
  { "Khu công nghiệp phía Nam", NULL, 0, 104.905, 21.665 },
  { NULL, NULL, 0, 0, 0 }
};

const SabanPlacePoint saban_place_commercial[] = {
  { "Khu thương mại Kim Thành", NULL, 0, 103.965, 22.505 },
  { "Khu du lịch Sa Pa", NULL, 0, 103.845, 22.338 },
  { "Trung tâm thương mại Yên Bái", NULL, 0, 104.885, 21.705 },
  { "Khu du lịch Bắc Hà", NULL, 0, 104.292, 22.540 },
  { "Khu du lịch Mù Cang Chải", NULL, 0, 104.085, 21.852 },
  { NULL, NULL, 0, 0, 0 }
};
