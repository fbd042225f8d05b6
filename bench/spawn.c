/*
** bench/spawn.c: run a command N times, one after the other, and print the
** wall time of the N: for the curl-per-request contender and for the cost
** of `require "clickup.time"` in a cold process. posix_spawnp + waitpid,
** as an editor plugin's job runner does (libuv's spawn is the same
** fork/exec), without a shell in the loop.
**
**   build/bench/spawn N cmd [args...]
**   RESULT seconds=<wall time of the N> n=<N>
**
** One untimed run first (warms the page cache); any run that does not
** exit 0 fails the whole.
*/
#define _POSIX_C_SOURCE 200809L
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(char **argv) {
  pid_t pid;
  int status;
  if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0)
    return -1;
  if (waitpid(pid, &status, 0) != pid)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(int argc, char **argv) {
  long i, n;
  double t0, t1;
  int rc;
  if (argc < 3 || (n = atol(argv[1])) <= 0) {
    fprintf(stderr, "usage: %s N cmd [args...]\n", argv[0]);
    return 2;
  }
  if ((rc = run(argv + 2)) != 0) {
    fprintf(stderr, "spawn: %s exited %d\n", argv[2], rc);
    return 1;
  }
  t0 = now_s();
  for (i = 0; i < n; i++)
    if ((rc = run(argv + 2)) != 0) {
      fprintf(stderr, "spawn: %s exited %d (run %ld)\n", argv[2], rc, i);
      return 1;
    }
  t1 = now_s();
  printf("RESULT seconds=%.9f n=%ld\n", t1 - t0, n);
  return 0;
}
