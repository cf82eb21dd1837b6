/* bench/auparse_walk.c — the rival for audit_events' count(*): libauparse (the library
 * under ausearch) reading a raw audit log and touching every field of every record of
 * every event, with no interpretation (auparse_get_field_str is the raw value).
 *
 *   auparse_walk LOG   ->  "auparse_walk: E events, R records, F fields, S s"
 *
 * This is the least a C program using libauparse does to see an event's content; a
 * count of events alone would skip the field splitting audit_events also does.
 */
#include <auparse.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s LOG\n", argv[0]);
    return 2;
  }
  double t0 = now();
  auparse_state_t* au = auparse_init(AUSOURCE_FILE, argv[1]);
  if (!au) {
    perror(argv[1]);
    return 1;
  }
  unsigned long events = 0, records = 0, fields = 0, bytes = 0;
  int rc;
  while ((rc = auparse_next_event(au)) > 0) {
    events++;
    if (auparse_first_record(au) <= 0) continue;
    do {
      records++;
      if (auparse_first_field(au) <= 0) continue;
      do {
        /* Use both strings so neither call can be optimised away. */
        const char* name = auparse_get_field_name(au);
        const char* value = auparse_get_field_str(au);
        fields++;
        bytes += (name ? (unsigned char)name[0] : 0) + (value ? (unsigned char)value[0] : 0);
      } while (auparse_next_field(au) > 0);
    } while (auparse_next_record(au) > 0);
  }
  auparse_destroy(au);
  if (rc < 0) {
    fprintf(stderr, "auparse_next_event failed on %s\n", argv[1]);
    return 1;
  }
  printf("auparse_walk: %lu events, %lu records, %lu fields, %.2f s (checksum %lu)\n", events, records,
         fields, now() - t0, bytes);
  return 0;
}
