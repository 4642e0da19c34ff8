/* chase.c -- the dependent pointer chase of ipcmodel's latency ladder, without an interpreter.
 *
 * Compiled at run time by ipcmodel/measure/_cchase.py (cc -O2 -shared -fPIC) when a C compiler
 * is present, and called through ctypes on the same int64 array, with the same random cyclic
 * permutation (one slot per cache line), as the Python chase `i = mv[i]`.  Each load's address
 * is the previous load's value, so the loads cannot overlap: one step costs the full latency of
 * wherever the line lives (L1, L2, L3 or memory), as in lmbench's lat_mem_rd.
 */
#include <stdint.h>

int64_t ipcmodel_chase(const int64_t *next, int64_t start, int64_t steps) {
    int64_t i = start;
    while (steps >= 4) { /* unrolled: the loop's own work is off the dependent chain anyway */
        i = next[i];
        i = next[i];
        i = next[i];
        i = next[i];
        steps -= 4;
    }
    while (steps-- > 0)
        i = next[i];
    return i; /* returned, so the compiler cannot drop the chain */
}
