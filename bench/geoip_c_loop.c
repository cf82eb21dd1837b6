/* bench/geoip_c_loop.c — the rival for ip_enrichment's GeoIP speed: a plain C loop over
 * libmaxminddb, reading the same fields ip_enrichment returns (country_code, state1,
 * city, latitude, longitude) for every address of a file (one per line).
 *
 *   geoip_c_loop DB.mmdb IPS.txt   ->  "c_loop: N lookups, F found, S s, R lookups/s"
 */
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s DB.mmdb IPS.txt\n", argv[0]);
    return 2;
  }
  MMDB_s db;
  if (MMDB_open(argv[1], MMDB_MODE_MMAP, &db) != MMDB_SUCCESS) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  FILE* f = fopen(argv[2], "r");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", argv[2]);
    return 1;
  }
  /* Read every address first: the timed loop is lookups only. */
  size_t n = 0, cap = 1 << 20;
  char** ips = malloc(cap * sizeof *ips);
  char line[128];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    if (n == cap) ips = realloc(ips, (cap *= 2) * sizeof *ips);
    ips[n++] = strdup(line);
  }
  fclose(f);

  const char* keys[] = {"country_code", "state1", "city", "latitude", "longitude"};
  size_t found = 0, bytes = 0;
  const double start = now();
  for (size_t i = 0; i < n; ++i) {
    int gai = 0, err = 0;
    MMDB_lookup_result_s r = MMDB_lookup_string(&db, ips[i], &gai, &err);
    if (gai || err != MMDB_SUCCESS || !r.found_entry) continue;
    ++found;
    for (int k = 0; k < 5; ++k) {
      MMDB_entry_data_s d;
      if (MMDB_get_value(&r.entry, &d, keys[k], NULL) == MMDB_SUCCESS && d.has_data)
        bytes += d.type == MMDB_DATA_TYPE_UTF8_STRING ? d.data_size : 4;
    }
  }
  const double secs = now() - start;
  printf("c_loop: %zu lookups, %zu found, %.3f s, %.0f lookups/s (%zu bytes read)\n", n, found, secs, n / secs,
         bytes);
  for (size_t i = 0; i < n; ++i) free(ips[i]);
  free(ips);
  MMDB_close(&db);
  return 0;
}
