/* probe_ref.c -- tiny C reference for ipcmodel.measure (benchmarks/bench_probe_vs_c.py).
 *
 * Same operations, same placement, same statistics (median over repetitions) as the Python
 * probe, without an interpreter:
 *   null_syscall                 syscall(SYS_getppid)                   (no libc caching)
 *   clock_monotonic              clock_gettime(CLOCK_MONOTONIC)         (vDSO)
 *   clock_thread_cputime         clock_gettime(CLOCK_THREAD_CPUTIME_ID) (kernel)
 *   pipe_round_trip              1 byte over two pipes, both processes on one CPU
 *   pipe_round_trip_cross_cpu    1 byte over two pipes, parent and child on two CPUs
 *   socket_round_trip            1 byte over an AF_UNIX socketpair, one CPU
 * Output: one "name median_us" line per measurement.  Usage: probe_ref [repetitions]
 * Build:  cc -O2 -o probe_ref probe_ref.c
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int reps = 21;

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void pin(int cpu) {
    cpu_set_t set;
    if (cpu < 0) return;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}

static void first_two_cpus(int *a, int *b) {
    cpu_set_t set;
    *a = *b = -1;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &set)) {
            if (*a < 0) *a = c;
            else if (*b < 0) { *b = c; break; }
        }
}

static void null_syscall(void) {
    double v[1000];
    long n = 200000;
    for (long i = 0; i < n; i++) syscall(SYS_getppid); /* warm-up */
    for (int r = 0; r < reps; r++) {
        double t0 = now_us();
        for (long i = 0; i < n; i++) syscall(SYS_getppid);
        v[r] = (now_us() - t0) / n;
    }
    printf("null_syscall %.6f\n", median(v, reps));
}

static void clock_read(const char *name, clockid_t clk) {
    double v[1000];
    long n = 200000;
    struct timespec ts;
    for (int r = -1; r < reps; r++) { /* r == -1 is the warm-up */
        double t0 = now_us();
        for (long i = 0; i < n; i++) clock_gettime(clk, &ts);
        if (r >= 0) v[r] = (now_us() - t0) / n;
    }
    printf("%s %.6f\n", name, median(v, reps));
}

/* to_child[1] / from_child[0] are the parent's ends; the child echoes until end-of-file. */
static void round_trip(const char *name, int p2c_r, int p2c_w, int c2p_r, int c2p_w,
                       int parent_cpu, int child_cpu, long n) {
    double v[1000];
    char b = 'x';
    cpu_set_t old;
    sched_getaffinity(0, sizeof old, &old);
    pin(parent_cpu);
    pid_t pid = fork();
    if (pid == 0) {
        pin(child_cpu);
        if (p2c_w != p2c_r) close(p2c_w);
        if (c2p_r != c2p_w) close(c2p_r);
        while (read(p2c_r, &b, 1) == 1)
            if (write(c2p_w, &b, 1) != 1) break;
        _exit(0);
    }
    if (p2c_r != p2c_w) close(p2c_r);
    if (c2p_w != c2p_r) close(c2p_w);
    for (int r = -1; r < reps; r++) {
        double t0 = now_us();
        for (long i = 0; i < n; i++) {
            if (write(p2c_w, &b, 1) != 1 || read(c2p_r, &b, 1) != 1) {
                fprintf(stderr, "%s: peer gone\n", name);
                exit(1);
            }
        }
        if (r >= 0) v[r] = (now_us() - t0) / n;
    }
    close(p2c_w);
    if (c2p_r != p2c_w) close(c2p_r);
    waitpid(pid, NULL, 0);
    sched_setaffinity(0, sizeof old, &old);
    printf("%s %.6f\n", name, median(v, reps));
}

int main(int argc, char **argv) {
    int a, b, p1[2], p2[2], sv[2];
    if (argc > 1) reps = atoi(argv[1]);
    if (reps < 3 || reps > 1000) {
        fprintf(stderr, "repetitions must be in [3, 1000]\n");
        return 2;
    }
    first_two_cpus(&a, &b);
    null_syscall();
    clock_read("clock_monotonic", CLOCK_MONOTONIC);
    clock_read("clock_thread_cputime", CLOCK_THREAD_CPUTIME_ID);
    if (pipe(p1) || pipe(p2)) return 1;
    round_trip("pipe_round_trip", p1[0], p1[1], p2[0], p2[1], a, -1, 10000);
    if (b >= 0) {
        if (pipe(p1) || pipe(p2)) return 1;
        round_trip("pipe_round_trip_cross_cpu", p1[0], p1[1], p2[0], p2[1], a, b, 2000);
    }
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) return 1;
    round_trip("socket_round_trip", sv[1], sv[0], sv[0], sv[1], a, -1, 10000);
    return 0;
}
